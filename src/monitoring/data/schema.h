#pragma once
// A data schema as TFDV infers it (tensorflow_data_validation/anomalies/schema.cc), for flat
// tables: one entry per column with its type, presence, value count, domain, and what was
// observed when it was inferred. docs/MONITORING.md ("Validation") documents the JSON form
// (schema_json.h); validation (validate.h) checks data against it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::monitoring {

// INT, FLOAT, STRING, BOOL as in TFDV (BYTES is STRING here); UNKNOWN for a column that had
// no value at all when the schema was inferred (only its presence is checked).
enum class ColumnType { kUnknown, kInt, kFloat, kString, kBool };

std::string_view ColumnTypeName(ColumnType type);  // "INT", ...
std::optional<ColumnType> ParseColumnType(std::string_view name);

struct Presence {
  double min_fraction = 0;  // share of rows that must hold a value, in [0, 1]
  int64_t min_count = 0;    // rows that must hold a value
};

struct IntDomain {
  int64_t min = 0;
  int64_t max = 0;
};

struct FloatDomain {
  std::optional<double> min;  // finite bounds; absent: unbounded on that side
  std::optional<double> max;
  bool disallow_nan = false;
  bool disallow_inf = false;
};

struct StringDomain {
  std::vector<std::string> values;  // sorted, distinct
  // Out-of-domain values are an anomaly when their share of the present values exceeds
  // 1 - min_domain_mass (TFDV's distribution_constraints; 1.0: any out-of-domain value).
  double min_domain_mass = 1.0;
};

// What the data held when the schema was inferred (for people and for the sentences of
// anomalies; validation does not depend on it).
struct Observed {
  int64_t count = 0;    // rows with a value
  int64_t missing = 0;  // rows without
  int64_t distinct = 0;
};

struct ColumnSchema {
  std::string name;
  ColumnType type = ColumnType::kUnknown;
  Presence presence;
  std::optional<IntDomain> int_domain;        // INT only
  std::optional<FloatDomain> float_domain;    // FLOAT only
  std::optional<StringDomain> string_domain;  // STRING only
  Observed observed;
};

struct DataSchema {
  int64_t num_examples = 0;        // rows of the data the schema was inferred from
  int64_t min_examples_count = 1;  // fewer rows: DATASET_LOW_NUM_EXAMPLES
  std::vector<ColumnSchema> columns;

  const ColumnSchema* Find(std::string_view name) const;
};

}  // namespace ferry::monitoring
