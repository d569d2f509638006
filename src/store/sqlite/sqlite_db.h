#pragma once
// Thin RAII layer over the SQLite C API: a Connection with a prepared-statement cache, and a
// Statement with sequential binding. SQLite result codes become absl::Status (SqliteStatus).
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

namespace ferry::store::sqlite {

// Maps a SQLite result code to a canonical Status whose message names `context` and the
// database file:
//   BUSY/LOCKED -> kUnavailable, READONLY/PERM -> kPermissionDenied, FULL -> kResourceExhausted,
//   CONSTRAINT_UNIQUE/PRIMARYKEY -> kAlreadyExists, other CONSTRAINT -> kInvalidArgument,
//   NOTADB/CANTOPEN -> kFailedPrecondition, CORRUPT -> kDataLoss, anything else -> kInternal.
absl::Status SqliteStatus(int rc, sqlite3* db, std::string_view context);

// A prepared statement, either borrowed from its Connection's cache or owned (when the cache
// is full or the cached copy is already in use by an enclosing scope). On destruction a
// borrowed statement is reset, its bindings cleared, and it returns to the cache.
class Statement {
 public:
  // `in_use` points at the cache slot's flag for a borrowed statement, nullptr when owned.
  Statement(sqlite3_stmt* stmt, bool* in_use);
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binds the next positional parameter (?1, ?2, ... in call order). A binding error is
  // remembered and reported by the next Step()/Run().
  Statement& BindInt(int64_t v);
  Statement& BindDouble(double v);  // NaN would become NULL in SQLite: callers map it first.
  Statement& BindText(std::string_view v);
  // Binds without copying: `v` must stay valid until the statement is stepped to completion
  // and Reset() or destroyed. For hot loops over caller-owned data.
  Statement& BindTextRef(std::string_view v);
  Statement& BindNull();
  Statement& BindOptionalText(const std::optional<std::string>& v);
  Statement& BindOptionalInt(const std::optional<int64_t>& v);

  // Rewinds the statement and clears its bindings, for executing it again.
  Statement& Reset();

  // Steps once: true when a row is available, false when the statement is done.
  absl::StatusOr<bool> Step();
  // Steps to completion, discarding any rows.
  absl::Status Run();

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const;
  std::optional<std::string> OptionalText(int col) const;
  std::optional<int64_t> OptionalInt(int col) const;

 private:
  sqlite3_stmt* stmt_;
  bool* in_use_;
  int next_index_ = 1;
  int bind_rc_ = SQLITE_OK;
};

enum class ConnectionRole { kWriter, kReader };

class Connection {
 public:
  // Opens `path` (creating the file if missing) with foreign keys on, synchronous=NORMAL
  // (FULL if `sync_full`), a busy timeout and the ferry_like() SQL function registered. The
  // writer also switches the database to WAL mode; readers are query_only. kPermissionDenied
  // if the file or its directory is not writable, kFailedPrecondition if it is not a SQLite
  // database.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path,
                                                          ConnectionRole role,
                                                          bool sync_full = false);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Returns a prepared statement for `sql`, from the cache when possible. The Statement must
  // not outlive this Connection.
  absl::StatusOr<Statement> Prepare(std::string_view sql);
  // Executes one or more statements without parameters (DDL, pragmas).
  absl::Status Exec(const std::string& sql);
  // Transaction control through cached statements. `immediate` takes the write lock at
  // BEGIN, so a write transaction never fails half-way with SQLITE_BUSY.
  absl::Status Begin(bool immediate);
  absl::Status Commit();
  // Best effort: after a failed statement SQLite may already have rolled back.
  void Rollback();
  // Rows changed by the last INSERT/UPDATE/DELETE, and the rowid of the last INSERT.
  int64_t Changes() const { return sqlite3_changes64(db_); }
  int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
  const std::string& path() const { return path_; }
  // The underlying handle, for hooks that have no wrapper here (see checkpointer.h).
  sqlite3* handle() { return db_; }

 private:
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  // Statements beyond this many are prepared per use and finalized afterwards, so that
  // dynamically built search SQL cannot grow the cache without bound.
  static constexpr size_t kMaxCachedStatements = 128;

  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  absl::Status Configure(ConnectionRole role, bool sync_full);

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, CachedStatement> cache_;
};

// Serialises `items` as a JSON array of strings, for `IN (SELECT value FROM json_each(?))`:
// one bound parameter however long the list, so the SQL text (and its cached plan) is stable.
std::string JsonStringArray(const std::vector<std::string>& items);
// The same for integers.
std::string JsonIntArray(const std::vector<int64_t>& items);

}  // namespace ferry::store::sqlite
