#include "store/sqlite/sqlite_db.h"

#include <unistd.h>

#include <mutex>
#include <utility>

#include "common/json_writer.h"
#include "store/sqlite/sqlite_like.h"
#include "store/sqlite/sqlite_statement.h"

namespace ferry::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 10000;

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Turns off SQLite's global memory statistics before the library initialises: they take a
// global mutex on every allocation, and nothing reads them. Best effort (SQLITE_MISUSE if
// SQLite was already initialised by other code).
void ConfigureLibraryOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

// Explains a failed open in terms of what the operator can fix.
absl::Status OpenFailure(int rc, const std::string& path) {
  std::string dir = DirectoryOf(path);
  if ((rc & 0xff) == SQLITE_CANTOPEN && ::access(dir.c_str(), W_OK) != 0) {
    return absl::PermissionDeniedError("Cannot create SQLite database '" + path + "': directory '" +
                                       dir +
                                       "' is not writable; fix its permissions or choose "
                                       "another path");
  }
  absl::Status cause = SqliteStatus(rc, nullptr, "");
  return absl::Status(cause.code(), "Cannot open SQLite database '" + path + "'" +
                                        std::string(cause.message()) +
                                        "; check that the path names a writable file");
}

}  // namespace

absl::Status SqliteStatus(int rc, sqlite3* db, std::string_view context) {
  const char* detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    // Constraint messages reach API clients (e.g. in "already exists" errors): no file path.
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return absl::AlreadyExistsError(detail);
    }
    return absl::InvalidArgumentError(detail);
  }
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  std::string msg = std::string(context);
  if (file && *file) msg += " (" + std::string(file) + ")";
  msg += ": ";
  msg += detail;
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(msg);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::PermissionDeniedError(msg);
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(msg);
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
      return absl::FailedPreconditionError(msg);
    case SQLITE_CORRUPT:
      return absl::DataLossError(msg);
    default:
      return absl::InternalError(msg);
  }
}

// ---- Connection ----

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                             ConnectionRole role, bool sync_full) {
  ConfigureLibraryOnce();
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = OpenFailure(rc, path);
    sqlite3_close_v2(db);
    return status;
  }
  std::unique_ptr<Connection> conn(new Connection(db, path));
  if (sqlite3_db_readonly(db, "main") == 1) {
    return absl::PermissionDeniedError("SQLite database '" + path +
                                       "' is read-only for this process; make the file and "
                                       "its directory writable (WAL mode needs the -wal and "
                                       "-shm files beside it)");
  }
  absl::Status configured = conn->Configure(role, sync_full);
  std::string dir = DirectoryOf(path);
  if (!configured.ok() && ::access(dir.c_str(), W_OK) != 0) {
    return absl::PermissionDeniedError("Cannot open SQLite database '" + path + "': directory '" +
                                       dir +
                                       "' is not writable (WAL mode creates the -wal and -shm "
                                       "files beside the database); fix its permissions");
  }
  if (!configured.ok()) {
    return absl::Status(configured.code(), "Cannot open SQLite database '" + path +
                                               "': " + std::string(configured.message()));
  }
  return conn;
}

absl::Status Connection::Configure(ConnectionRole role, bool sync_full) {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  RETURN_IF_ERROR(RegisterLikeFunction(db_));
  if (role == ConnectionRole::kWriter) {
    ASSIGN_OR_RETURN(Statement wal, Prepare("PRAGMA journal_mode=WAL"));
    ASSIGN_OR_RETURN(bool row, wal.Step());
    if (!row || wal.Text(0) != "wal") {
      return absl::FailedPreconditionError("Cannot switch SQLite database '" + path_ +
                                           "' to WAL mode; is it on a network file system?");
    }
  }
  // synchronous=NORMAL in WAL mode: a commit appends to the WAL without fsync, and the WAL
  // is fsynced at checkpoints. Committed transactions survive a crash or kill -9 of this
  // process (the data is in the OS page cache); only an OS crash or power loss may roll back
  // the most recent commits, never corrupt the database. FULL also fsyncs the WAL at every
  // commit, so that a power loss loses nothing committed.
  std::string pragmas = std::string("PRAGMA foreign_keys=ON; PRAGMA synchronous=") +
                        (sync_full ? "FULL" : "NORMAL") +
                        "; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384;";
  if (role == ConnectionRole::kReader) pragmas += " PRAGMA query_only=ON;";
  return Exec(pragmas);
}

Connection::Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

Connection::~Connection() {
  cache_.clear();  // finalizes the cached statements before the database closes
  sqlite3_close_v2(db_);
}

absl::StatusOr<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second->in_use) {
    it->second->in_use = true;
    return Statement(it->second.get());
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db_, "prepare");
  if (it != cache_.end() || cache_.size() >= kMaxCachedStatements) {
    return Statement(new SqliteStatement(stmt, /*cached=*/false));
  }
  auto owned = std::make_unique<SqliteStatement>(stmt, /*cached=*/true);
  SqliteStatement* raw = owned.get();
  raw->in_use = true;
  cache_.emplace(std::string(sql), std::move(owned));
  return Statement(raw);
}

absl::Status Connection::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db_, "exec");
  return absl::OkStatus();
}

absl::Status Connection::Begin(bool immediate) {
  ASSIGN_OR_RETURN(Statement st, Prepare(immediate ? "BEGIN IMMEDIATE" : "BEGIN"));
  return st.Run();
}

absl::Status Connection::Commit() {
  ASSIGN_OR_RETURN(Statement st, Prepare("COMMIT"));
  return st.Run();
}

void Connection::Rollback() {
  if (sqlite3_get_autocommit(db_)) return;  // no transaction is open any more
  Exec("ROLLBACK").IgnoreError();
}

std::string JsonStringArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(&out, items[i]);
  }
  out += ']';
  return out;
}

std::string JsonIntArray(const std::vector<int64_t>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(items[i]);
  }
  out += ']';
  return out;
}

}  // namespace ferry::store::sqlite
