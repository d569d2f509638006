#include "monitoring/data/anomaly.h"

namespace ferry::monitoring {

std::string_view SeverityName(Severity severity) {
  return severity == Severity::kError ? "ERROR" : "WARNING";
}

const std::vector<AnomalyKind>& AnomalyKinds() {
  static const std::vector<AnomalyKind> kinds = {
      {"NO_DATA_IN_SPAN", Severity::kError},
      {"DATASET_LOW_NUM_EXAMPLES", Severity::kError},
      {"SCHEMA_MISSING_COLUMN", Severity::kError},
      {"SCHEMA_NEW_COLUMN", Severity::kWarning},
      {"FEATURE_TYPE_NOT_PRESENT", Severity::kError},
      {"FEATURE_TYPE_LOW_NUMBER_PRESENT", Severity::kError},
      {"FEATURE_TYPE_LOW_FRACTION_PRESENT", Severity::kError},
      {"UNEXPECTED_DATA_TYPE", Severity::kError},
      {"INT_TYPE_NOT_INT_STRING", Severity::kError},
      {"FLOAT_TYPE_STRING_NOT_FLOAT", Severity::kError},
      {"STRING_TYPE_NOW_INT", Severity::kWarning},
      {"STRING_TYPE_NOW_FLOAT", Severity::kWarning},
      {"BOOL_TYPE_UNEXPECTED_STRING", Severity::kError},
      {"BOOL_TYPE_UNEXPECTED_FLOAT", Severity::kError},
      {"BOOL_TYPE_BIG_INT", Severity::kError},
      {"BOOL_TYPE_SMALL_INT", Severity::kError},
      {"INT_TYPE_BIG_INT", Severity::kWarning},
      {"INT_TYPE_SMALL_INT", Severity::kWarning},
      {"FLOAT_TYPE_BIG_FLOAT", Severity::kWarning},
      {"FLOAT_TYPE_SMALL_FLOAT", Severity::kWarning},
      {"FLOAT_TYPE_HAS_NAN", Severity::kError},
      {"FLOAT_TYPE_HAS_INF", Severity::kError},
      {"ENUM_TYPE_UNEXPECTED_STRING_VALUES", Severity::kError},
  };
  return kinds;
}

Severity SeverityOf(std::string_view kind) {
  for (const AnomalyKind& k : AnomalyKinds()) {
    if (k.name == kind) return k.severity;
  }
  return Severity::kError;
}

bool ValidationResult::blocking() const {
  for (const Anomaly& a : anomalies) {
    if (a.severity == Severity::kError) return true;
  }
  return false;
}

}  // namespace ferry::monitoring
