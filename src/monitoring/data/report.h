#pragma once
// Validation results for people (text) and for programs (JSON, format
// "ferry.monitoring.anomalies" version 1; field names are stable, see docs/MONITORING.md).

#include <string>
#include <string_view>

#include "monitoring/data/anomaly.h"

namespace ferry::monitoring {

// One line per anomaly, "ERROR   KIND: sentence", then a summary line naming `data`.
std::string ValidationText(const ValidationResult& result, std::string_view data);

// {"format", "version", "data", "blocking", "rows", "columns", "errors", "warnings",
//  "anomalies": [{"column" (null for the dataset), "kind", "severity", "description",
//  "count", "examples"}]}, ending in a newline.
std::string ValidationJson(const ValidationResult& result, std::string_view data);

}  // namespace ferry::monitoring
