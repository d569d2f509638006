#include "tracking/search_parser.h"

namespace ferry {

absl::StatusOr<std::vector<Comparison>> ParseRunFilter(std::string_view filter) {
  return absl::UnimplementedError("search filter parser not written yet");
}
absl::StatusOr<std::vector<OrderBy>> ParseRunOrderBy(const std::vector<std::string>& order_by) {
  return absl::UnimplementedError("order_by parser not written yet");
}
absl::StatusOr<std::vector<Comparison>> ParseExperimentFilter(std::string_view filter) {
  return absl::UnimplementedError("search filter parser not written yet");
}
absl::StatusOr<std::vector<OrderBy>> ParseExperimentOrderBy(
    const std::vector<std::string>& order_by) {
  return absl::UnimplementedError("order_by parser not written yet");
}

}  // namespace ferry
