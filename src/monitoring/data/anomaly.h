#pragma once
// Anomalies found by validation (validate.h), named as in TFDV's catalogue
// (tensorflow_metadata anomalies.proto, AnomalyInfo.Type), with a severity: ERROR blocks
// (`ferry monitor validate` exits 1), WARNING does not. docs/MONITORING.md lists each kind.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::monitoring {

enum class Severity { kWarning, kError };

std::string_view SeverityName(Severity severity);  // "WARNING", "ERROR"

struct AnomalyKind {
  std::string_view name;  // TFDV's name, e.g. "INT_TYPE_BIG_INT"
  Severity severity;
};

// Every kind validation can raise, in the order of docs/MONITORING.md's table.
const std::vector<AnomalyKind>& AnomalyKinds();
// The severity of `kind` (one of AnomalyKinds(); ERROR for any other name).
Severity SeverityOf(std::string_view kind);

struct Anomaly {
  std::string column;  // empty for the dataset-level kinds
  std::string kind;
  Severity severity = Severity::kError;
  std::string description;            // one sentence for people
  int64_t count = 0;                  // values (or rows) concerned; 0 when it does not apply
  std::vector<std::string> examples;  // a few offending values, most frequent first
};

struct ValidationResult {
  int64_t rows = 0;
  int64_t columns = 0;
  std::vector<Anomaly> anomalies;

  bool blocking() const;  // any ERROR
};

}  // namespace ferry::monitoring
