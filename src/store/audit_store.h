#pragma once
// Persistence of the audit log of `ferry server --auth`: one row per request that changes
// something (or tried to), with who sent it, from where, and what the server answered.
// Backends implement it next to AuthStore, in the same database. Rows are only appended;
// nothing updates or deletes them.
//
// Implementations are safe for concurrent use. AppendAudit is one transaction: once it
// returns OK the row is committed (it survives kill -9 of the process).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::store {

struct AuditRecord {
  int64_t id = 0;  // assigned by the store, increasing in insertion order
  int64_t timestamp_ms = 0;
  std::string user;     // "-" when the request was refused before authentication
  std::string address;  // the client's IP address
  std::string method;
  std::string path;  // without the query
  int status = 0;    // the HTTP status the server answered
  std::string request_id;
  std::string resource;  // what the access rule checked ("experiment 3"), or empty
};

struct AuditFilter {
  std::optional<std::string> user;
  std::optional<int64_t> since_ms;   // timestamp_ms >= since_ms
  std::optional<int64_t> until_ms;   // timestamp_ms < until_ms
  std::optional<int64_t> before_id;  // id < before_id (the next page of a listing)
  int max_results = 100;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // Appends `record` (its id is ignored) and returns the id it got.
  virtual absl::StatusOr<int64_t> AppendAudit(const AuditRecord& record) = 0;
  // The records matching `filter`, newest (highest id) first, at most max_results.
  virtual absl::StatusOr<std::vector<AuditRecord>> ListAudit(const AuditFilter& filter) = 0;
};

}  // namespace ferry::store
