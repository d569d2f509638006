#pragma once
// The audit log of `ferry server --auth` (docs/AUTH.md, "Audit log"): appends one entry per
// request that changes something, stamped with the wall clock, and lists entries for admins,
// newest first, a page at a time. Over store/audit_store.h; the server feeds it through an
// http::RequestObserver (http/handlers/auth/audit_handlers.h). Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/audit_store.h"

namespace ferry {
class Clock;
}  // namespace ferry

namespace ferry::auth {

struct AuditQuery {
  std::optional<std::string> user;
  std::optional<int64_t> since_ms;     // inclusive
  std::optional<int64_t> until_ms;     // exclusive
  std::optional<int64_t> max_results;  // 1..kMaxAuditPage, default kDefaultAuditPage
  std::string page_token;              // from the previous page's next_page_token
};

struct AuditPage {
  std::vector<store::AuditRecord> entries;  // newest first
  std::string next_page_token;              // empty on the last page
};

inline constexpr int64_t kDefaultAuditPage = 100;
inline constexpr int64_t kMaxAuditPage = 1000;

class AuditLog {
 public:
  // `store` and `clock` outlive the log.
  AuditLog(store::AuditStore* store, Clock* clock) : store_(store), clock_(clock) {}

  // Appends `entry` stamped now (its timestamp and id are set here); committed on return.
  absl::Status Record(store::AuditRecord entry);
  // kInvalidArgument for a max_results out of range or a page token this log did not give.
  absl::StatusOr<AuditPage> List(const AuditQuery& query) const;

 private:
  store::AuditStore* store_;
  Clock* clock_;
};

}  // namespace ferry::auth
