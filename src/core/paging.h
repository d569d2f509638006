#pragma once
// Paging shared by the MLflow search APIs: results with an opaque next_page_token, MLflow's
// token format, and the max_results range check.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry {

template <typename T>
struct SearchResult {
  std::vector<T> items;
  std::string next_page_token;  // empty on the last page
};

// Page tokens are base64 of {"offset": N}, as MLflow's; clients treat them as opaque.
std::string EncodePageToken(int64_t offset);
// "" -> 0. kInvalidArgument "Invalid page token, ..." for anything that is not such a token.
absl::StatusOr<int64_t> DecodePageToken(const std::string& token);

// `requested` or `fallback`, which must lie in [1, limit]: else kInvalidArgument "Invalid value
// for request parameter max_results. It must be at most <limit> and at least 1, but got value
// <n>".
absl::StatusOr<int64_t> CheckMaxResults(std::optional<int64_t> requested, int64_t fallback,
                                        int64_t limit);

}  // namespace ferry
