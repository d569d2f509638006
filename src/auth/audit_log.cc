#include "auth/audit_log.h"

#include <charconv>
#include <utility>

#include "common/clock.h"

namespace ferry::auth {
namespace {

// A page token is the id of the last entry of the page before, in decimal: the next page
// holds the older entries, whatever was appended since.
absl::StatusOr<std::optional<int64_t>> ParsePageToken(const std::string& token) {
  if (token.empty()) return std::nullopt;
  int64_t id = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), id);
  if (error != std::errc() || end != token.data() + token.size() || id <= 0) {
    return absl::InvalidArgumentError("Invalid page_token '" + token + "'");
  }
  return id;
}

}  // namespace

absl::Status AuditLog::Record(store::AuditRecord entry) {
  entry.id = 0;
  entry.timestamp_ms = clock_->NowMillis();
  return store_->AppendAudit(entry).status();
}

absl::StatusOr<AuditPage> AuditLog::List(const AuditQuery& query) const {
  const int64_t max = query.max_results.value_or(kDefaultAuditPage);
  if (max < 1 || max > kMaxAuditPage) {
    return absl::InvalidArgumentError("max_results must be between 1 and " +
                                      std::to_string(kMaxAuditPage));
  }
  store::AuditFilter filter;
  filter.user = query.user;
  filter.since_ms = query.since_ms;
  filter.until_ms = query.until_ms;
  ASSIGN_OR_RETURN(filter.before_id, ParsePageToken(query.page_token));
  filter.max_results = static_cast<int>(max) + 1;  // one more: is there a next page?
  ASSIGN_OR_RETURN(std::vector<store::AuditRecord> rows, store_->ListAudit(filter));
  AuditPage page;
  if (static_cast<int64_t>(rows.size()) > max) {
    rows.resize(static_cast<size_t>(max));
    page.next_page_token = std::to_string(rows.back().id);
  }
  page.entries = std::move(rows);
  return page;
}

}  // namespace ferry::auth
