#pragma once
// Paging shared by the MLflow search APIs: a store's page (look-ahead row trimmed), results
// with an opaque next_page_token, MLflow's token format, and the max_results range check.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ferry {

// A page of results as a store returns it. `has_more` tells the caller to emit a
// next_page_token for `next_offset`.
template <typename T>
struct Page {
  std::vector<T> items;
  bool has_more = false;
  int64_t next_offset = 0;
};

template <typename T>
struct SearchResult {
  std::vector<T> items;
  std::string next_page_token;  // empty on the last page
};

// Stores read one row beyond a page of `max_results` starting at `offset`: when `rows` holds
// that extra row, drops it and marks `page` as having more from offset + max_results. `rows`
// may be the page's own items or the keys its items are loaded from afterwards. max_results < 1
// means no limit: nothing is trimmed.
template <typename Row, typename T>
void TrimToPage(std::vector<Row>& rows, int64_t max_results, int64_t offset, Page<T>& page) {
  if (max_results < 1 || static_cast<int64_t>(rows.size()) <= max_results) return;
  rows.resize(static_cast<size_t>(max_results));
  page.has_more = true;
  page.next_offset = offset + max_results;
}

// Page tokens are base64 of {"offset": N}, as MLflow's; clients treat them as opaque.
std::string EncodePageToken(int64_t offset);
// "" -> 0. kInvalidArgument "Invalid page token, ..." for anything that is not such a token.
absl::StatusOr<int64_t> DecodePageToken(const std::string& token);

// The page's items with the token for the next page, if any.
template <typename T>
SearchResult<T> ToSearchResult(Page<T> page) {
  SearchResult<T> result;
  result.items = std::move(page.items);
  if (page.has_more) result.next_page_token = EncodePageToken(page.next_offset);
  return result;
}

// `requested` or `fallback`, which must lie in [1, limit]: else kInvalidArgument "Invalid value
// for request parameter max_results. It must be at most <limit> and at least 1, but got value
// <n>".
absl::StatusOr<int64_t> CheckMaxResults(std::optional<int64_t> requested, int64_t fallback,
                                        int64_t limit);

}  // namespace ferry
