#pragma once
// The PostgreSQL driver behind the store's driver seam (store/sql/connection.h), over libpq.
//
// - SQL keeps SQLite's placeholders; Prepare translates `?`/`?N` to `$N`
//   (pg_placeholders.h) and prepares a named server-side statement, cached per connection
//   (PQprepare once, PQexecPrepared per execution); parameter types are inferred by the server.
// - Parameters travel as text (a double as %.17g, NaN/Infinity by name), results as text;
//   Step() executes on the first call and then walks the PGresult row by row, so several
//   statements can be open on one connection at once, as with SQLite.
// - Begin(immediate=true) is a READ COMMITTED transaction that first takes
//   pg_advisory_xact_lock(kWriterLockKey): write transactions serialise across every process
//   on the database exactly as SQLite's single writer does (docs/ARCHITECTURE.md). Begin(false)
//   is a REPEATABLE READ READ ONLY transaction: one snapshot, like a SQLite read transaction.
// - A lost connection makes the call fail with kUnavailable; the next Begin() reconnects, and
//   statements are prepared again on the new session.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "store/postgres/pg_uri.h"
#include "store/sql/connection.h"

namespace ferry::store::postgres {

// The advisory lock every write transaction holds ("Ferry" in ASCII). Advisory locks are per
// database, so two Ferry installations in one cluster do not contend.
inline constexpr int64_t kWriterLockKey = 0x4665727279;

class PgStatement;

class Connection final : public sql::Connection {
 public:
  // Connects (kUnavailable naming host:port/db and libpq's reason on failure; never the
  // password).
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const PgUri& uri);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  absl::StatusOr<sql::Statement> Prepare(std::string_view sql) override;
  absl::Status Exec(const std::string& sql) override;
  absl::Status Begin(bool immediate) override;
  absl::Status Commit() override;
  void Rollback() override;
  int64_t Changes() const override { return changes_; }
  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }

  // The server process serving this connection (pg_backend_pid), for tests and logs.
  int BackendPid() const { return PQbackendPID(conn_); }
  // True when libpq considers the connection usable.
  bool Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

 private:
  friend class PgStatement;
  // Statements beyond this many are prepared per use and deallocated afterwards.
  static constexpr size_t kMaxCachedStatements = 128;

  Connection(PGconn* conn, std::string describe);
  // Reconnects a broken connection (PQreset); cached statements are re-prepared lazily.
  absl::Status EnsureConnected();
  // Prepares `stmt` on this session if it is not yet (new statement, or reconnected since).
  absl::Status EnsurePrepared(PgStatement& stmt);
  // Runs a parameterless command; `context` names it in errors.
  absl::Status Command(const char* sql, std::string_view context);
  void DeallocatePending();
  void StatementDone(PgStatement* stmt, bool cached);

  PGconn* conn_;
  std::string describe_;  // host:port/db
  int64_t session_ = 1;   // bumped on every reconnect
  int64_t changes_ = 0;
  int64_t next_name_ = 0;
  std::unordered_map<std::string, std::unique_ptr<PgStatement>> cache_;
  std::vector<std::string> to_deallocate_;  // one-use statements released
};

}  // namespace ferry::store::postgres
