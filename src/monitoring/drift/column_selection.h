#pragma once
// Which columns a drift comparison tests, the same for data and profile references, and the
// one shape of a column's error. Internal to drift/.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "monitoring/drift/drift_engine.h"

namespace ferry::monitoring {

// kInvalidArgument "column '<column>': <message>".
absl::Status ColumnError(const std::string& column, std::string_view message);

// --columns in its order (a name given twice is tested once), else `reference_names`. Every
// selected column must be on both sides, and every column given a stattest in the
// reference; errors name the column and the `reference_kind` ("reference data", "reference
// profile").
absl::StatusOr<std::vector<std::string>> SelectColumns(
    const std::vector<std::string>& reference_names,
    const std::function<bool(const std::string&)>& in_reference,
    const std::function<bool(const std::string&)>& in_current, const DriftOptions& options,
    std::string_view reference_kind);

}  // namespace ferry::monitoring
