#include "store/sqlite/sqlite_store.h"

#include <sys/stat.h>

#include <utility>

#include "common/clock.h"
#include "common/fs.h"
#include "common/logging.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace ferry::store::sqlite {
namespace {

// Idle reader connections kept open; more are opened while more threads read at once.
constexpr size_t kMaxIdleReaders = 16;

// Rejects paths SQLite would not treat as one shared file, and makes the parent directory.
absl::Status PrepareDatabasePath(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) {
    return absl::InvalidArgumentError(
        "Invalid SQLite database path '" + path +
        "': expected a file path such as sqlite:///var/lib/ferry/ferry.db");
  }
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError("SQLite database path '" + path +
                                         "' is a directory; pass the path of a database file");
  }
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return absl::OkStatus();
  absl::Status made = MakeDirs(path.substr(0, slash));
  if (made.ok()) return made;
  return absl::Status(made.code(), "Cannot create the directory for SQLite database '" + path +
                                       "': " + std::string(made.message()) +
                                       "; create it or choose a writable location");
}

}  // namespace

absl::StatusOr<MetadataBackendPtr> SqliteStore::Create(const std::string& path, bool sync_full) {
  RETURN_IF_ERROR(PrepareDatabasePath(path));
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Connection> writer,
                   sqlite::Connection::Open(path, sqlite::ConnectionRole::kWriter, sync_full));
  ASSIGN_OR_RETURN(int from, sqlite::MigrateSchema(*writer, SystemClock().NowMillis()));
  std::string to = std::to_string(sqlite::LatestSchemaVersion());
  if (from == 0) {
    LogInfo("sqlite database created", {{"path", path}, {"schema_version", to}});
  } else if (from != sqlite::LatestSchemaVersion()) {
    LogInfo("sqlite schema migrated", {{"path", path}, {"from", std::to_string(from)}, {"to", to}});
  }
  auto readers = std::make_unique<sqlite::ConnectionPool>(path, kMaxIdleReaders);
  ASSIGN_OR_RETURN(auto checkpointer, sqlite::Checkpointer::Start(*writer));
  return MetadataBackendPtr(
      new SqliteStore(std::move(writer), std::move(readers), std::move(checkpointer)));
}

SqliteStore::SqliteStore(std::unique_ptr<sqlite::Connection> writer,
                         std::unique_ptr<sqlite::ConnectionPool> readers,
                         std::unique_ptr<sqlite::Checkpointer> checkpointer)
    : writer_(std::move(writer)),
      readers_(std::move(readers)),
      checkpointer_(std::move(checkpointer)) {}

SqliteStore::~SqliteStore() = default;

absl::StatusOr<int> SqliteStore::Synchronous() {
  std::lock_guard<std::mutex> lock(write_mu_);
  ASSIGN_OR_RETURN(sqlite::Statement st, writer_->Prepare("PRAGMA synchronous"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return absl::InternalError("PRAGMA synchronous returned no row");
  return static_cast<int>(st.Int(0));
}

}  // namespace ferry::store::sqlite
