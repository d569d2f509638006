#pragma once
// The SQLite driver behind the store's driver seam (store/sql/connection.h): a Connection with
// a prepared-statement cache over the SQLite C API, its statements being SqliteStatements.
// SQLite result codes become absl::Status (SqliteStatus).
//
// Thread safety: a Connection and the Statements borrowed from it must be used by one thread
// at a time (connections are opened in SQLite's multi-thread mode, SQLITE_OPEN_NOMUTEX).

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "store/sql/connection.h"
#include "store/sql/statement.h"

namespace ferry::store::sqlite {

// Maps a SQLite result code to a canonical Status whose message names `context` and the
// database file:
//   BUSY/LOCKED -> kUnavailable, READONLY/PERM -> kPermissionDenied, FULL -> kResourceExhausted,
//   CONSTRAINT_UNIQUE/PRIMARYKEY -> kAlreadyExists, other CONSTRAINT -> kInvalidArgument,
//   NOTADB/CANTOPEN -> kFailedPrecondition, CORRUPT -> kDataLoss, anything else -> kInternal.
absl::Status SqliteStatus(int rc, sqlite3* db, std::string_view context);

// The store code's statement handle is the driver seam's (store/sql/statement.h); SQLite's
// implementation is SqliteStatement (sqlite_statement.h).
using Statement = sql::Statement;
class SqliteStatement;

enum class ConnectionRole { kWriter, kReader };

class Connection final : public sql::Connection {
 public:
  // Opens `path` (creating the file if missing) with foreign keys on, synchronous=NORMAL
  // (FULL if `sync_full`), a busy timeout and the ferry_like() SQL function registered. The
  // writer also switches the database to WAL mode; readers are query_only. kPermissionDenied
  // if the file or its directory is not writable, kFailedPrecondition if it is not a SQLite
  // database.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path,
                                                          ConnectionRole role,
                                                          bool sync_full = false);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Returns a prepared statement for `sql`, from the cache when possible. The Statement must
  // not outlive this Connection.
  absl::StatusOr<Statement> Prepare(std::string_view sql) override;
  // Executes one or more statements without parameters (DDL, pragmas).
  absl::Status Exec(const std::string& sql) override;
  // Transaction control through cached statements. `immediate` takes the write lock at
  // BEGIN, so a write transaction never fails half-way with SQLITE_BUSY.
  absl::Status Begin(bool immediate) override;
  absl::Status Commit() override;
  // Best effort: after a failed statement SQLite may already have rolled back.
  void Rollback() override;
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const override { return sqlite3_changes64(db_); }
  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  // The rowid of the last INSERT. SQLite only: new code writes `RETURNING id` (the seam has
  // no last-insert-id); the remaining callers are in auth/ (see docs/ARCHITECTURE.md).
  int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
  const std::string& path() const { return path_; }
  // The underlying handle, for hooks that have no wrapper here (see checkpointer.h).
  sqlite3* handle() { return db_; }

 private:
  friend class SqliteStatement;
  // Statements beyond this many are prepared per use and finalized afterwards, so that
  // dynamically built search SQL cannot grow the cache without bound.
  static constexpr size_t kMaxCachedStatements = 128;

  Connection(sqlite3* db, std::string path);
  absl::Status Configure(ConnectionRole role, bool sync_full);

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> cache_;
};

// Serialises `items` as a JSON array of strings, for `IN (SELECT value FROM json_each(?))`:
// one bound parameter however long the list, so the SQL text (and its cached plan) is stable.
std::string JsonStringArray(const std::vector<std::string>& items);
// The same for integers.
std::string JsonIntArray(const std::vector<int64_t>& items);

}  // namespace ferry::store::sqlite
