#include "monitoring/drift/column_selection.h"

#include <algorithm>

namespace ferry::monitoring {

absl::Status ColumnError(const std::string& column, std::string_view message) {
  return absl::InvalidArgumentError("column '" + column + "': " + std::string(message));
}

absl::StatusOr<std::vector<std::string>> SelectColumns(
    const std::vector<std::string>& reference_names,
    const std::function<bool(const std::string&)>& in_reference,
    const std::function<bool(const std::string&)>& in_current, const DriftOptions& options,
    std::string_view reference_kind) {
  std::vector<std::string> names;
  for (const std::string& name : options.columns) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (names.empty()) names = reference_names;
  const std::string not_in_reference = "not in the " + std::string(reference_kind);
  for (const std::string& name : names) {
    if (!in_reference(name)) return ColumnError(name, not_in_reference);
    if (!in_current(name)) return ColumnError(name, "not in the current data");
  }
  for (const auto& [name, test] : options.column_tests) {
    if (!in_reference(name)) return ColumnError(name, "has a stattest but is " + not_in_reference);
  }
  return names;
}

}  // namespace ferry::monitoring
