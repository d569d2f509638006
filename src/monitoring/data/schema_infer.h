#pragma once
// Schema inference from a table, as TFDV's infer_schema does it (Schema::Updater::CreateColumn,
// feature_util.cc, string_domain_util.cc), for flat tables:
//
//  - type: the narrowest of BOOL, INT, FLOAT, STRING that holds every present value
//    (value_kind.h); UNKNOWN when the column has no value at all;
//  - presence: min_count 1 when any row has a value, else 0; min_fraction 1.0 when no row
//    is missing (TFDV), else the observed share present minus `presence_slack` (clamped to
//    0; TFDV leaves it unset, which never flags a rise in missing values);
//  - INT: int_domain with the observed min and max; FLOAT: float_domain with the observed
//    finite min and max, disallow_nan / disallow_inf when none was seen (TFDV sets no bounds;
//    recording them lets validation flag out-of-range values);
//  - STRING: a string domain of the distinct values when there are at most
//    `max_string_domain_size` of them (TFDV's default 100) and all are valid UTF-8;
//  - the dataset's min_examples_count is 1.

#include <cstddef>

#include "common/status.h"
#include "core/frame_reader.h"
#include "monitoring/data/schema.h"

namespace ferry::monitoring {

struct InferOptions {
  size_t max_string_domain_size = 100;
  double presence_slack = 0.1;
};

DataSchema InferSchema(const TextTable& table, const InferOptions& options = {});

// kInvalidArgument "column <n>'s name is not valid UTF-8" for a name the schema's JSON form
// cannot carry (it would be written with U+FFFD and no longer match the data).
absl::Status CheckColumnNames(const TextTable& table);

}  // namespace ferry::monitoring
