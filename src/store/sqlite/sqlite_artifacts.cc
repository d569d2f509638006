// SqliteStore: the artifact path index (ArtifactIndex). Directory queries are range scans
// on the primary key: the descendants of "a/b" are exactly the paths in ["a/b/", "a/b0"),
// because '0' is the byte after '/'.

#include <set>

#include "store/sqlite/sqlite_internal.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

constexpr char kColumns[] = "SELECT path, digest, size, created_ms FROM artifacts ";

ArtifactEntry EntryFromRow(const Statement& st) {
  return {st.Text(0), st.Text(1), st.Int(2), st.Int(3)};
}

// "a/b/" -> "a/b"; "" and "/" -> "" (the root).
std::string TrimSlashes(const std::string& dir) {
  size_t end = dir.find_last_not_of('/');
  return end == std::string::npos ? "" : dir.substr(0, end + 1);
}

absl::Status AppendRows(Statement& st, std::vector<ArtifactEntry>& out) {
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::OkStatus();
    out.push_back(EntryFromRow(st));
  }
}

// Runs a DELETE ... RETURNING digest and collects the digests and the row count.
absl::Status DeleteReturning(Statement& st, std::set<std::string>& digests, int64_t& removed) {
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::OkStatus();
    digests.insert(st.Text(0));
    ++removed;
  }
}

absl::Status DeleteUnder(Connection& conn, const std::string& path, std::set<std::string>& digests,
                         int64_t& removed) {
  if (path.empty()) {
    ASSIGN_OR_RETURN(Statement all, conn.Prepare("DELETE FROM artifacts RETURNING digest"));
    return DeleteReturning(all, digests, removed);
  }
  ASSIGN_OR_RETURN(Statement file,
                   conn.Prepare("DELETE FROM artifacts WHERE path = ? RETURNING digest"));
  file.BindText(path);
  RETURN_IF_ERROR(DeleteReturning(file, digests, removed));
  ASSIGN_OR_RETURN(Statement dir, conn.Prepare("DELETE FROM artifacts WHERE path >= ? AND "
                                               "path < ? RETURNING digest"));
  dir.BindText(path + "/").BindText(path + "0");
  return DeleteReturning(dir, digests, removed);
}

absl::StatusOr<std::vector<std::string>> Unreferenced(Connection& conn,
                                                      const std::set<std::string>& digests) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT 1 FROM artifacts WHERE digest = ? LIMIT 1"));
  std::vector<std::string> out;
  for (const std::string& digest : digests) {
    ASSIGN_OR_RETURN(bool referenced, st.Reset().BindText(digest).Step());
    if (!referenced) out.push_back(digest);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> SqliteStore::PutArtifact(const ArtifactEntry& entry) {
  using Orphans = std::vector<std::string>;
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<Orphans> {
    ASSIGN_OR_RETURN(sqlite::Statement old,
                     conn.Prepare("SELECT digest FROM artifacts WHERE path = ?"));
    ASSIGN_OR_RETURN(bool had_entry, old.BindText(entry.path).Step());
    std::string old_digest = had_entry ? old.Text(0) : "";
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("INSERT INTO artifacts (path, digest, size, created_ms) "
                                  "VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
                                  "digest = excluded.digest, size = excluded.size, "
                                  "created_ms = excluded.created_ms"));
    RETURN_IF_ERROR(st.BindText(entry.path)
                        .BindText(entry.digest)
                        .BindInt(entry.size)
                        .BindInt(entry.created_ms)
                        .Run());
    if (!had_entry || old_digest == entry.digest) return Orphans{};
    return sqlite::Unreferenced(conn, {old_digest});
  });
}

absl::StatusOr<ArtifactEntry> SqliteStore::GetArtifact(const std::string& path) {
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<ArtifactEntry> {
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare(std::string(sqlite::kColumns) + "WHERE path = ?"));
    ASSIGN_OR_RETURN(bool row, st.BindText(path).Step());
    if (!row) return absl::NotFoundError("No artifact recorded at path '" + path + "'");
    return sqlite::EntryFromRow(st);
  });
}

absl::StatusOr<std::vector<ArtifactEntry>> SqliteStore::ListArtifactsUnder(const std::string& dir) {
  std::string prefix = sqlite::TrimSlashes(dir);
  return InReadTransaction(
      [&](sqlite::Connection& conn) -> absl::StatusOr<std::vector<ArtifactEntry>> {
        std::vector<ArtifactEntry> out;
        if (prefix.empty()) {
          ASSIGN_OR_RETURN(sqlite::Statement all,
                           conn.Prepare(std::string(sqlite::kColumns) + "ORDER BY path"));
          RETURN_IF_ERROR(sqlite::AppendRows(all, out));
          return out;
        }
        // The exact path sorts before all of its descendants.
        ASSIGN_OR_RETURN(sqlite::Statement file,
                         conn.Prepare(std::string(sqlite::kColumns) + "WHERE path = ?"));
        file.BindText(prefix);
        RETURN_IF_ERROR(sqlite::AppendRows(file, out));
        ASSIGN_OR_RETURN(sqlite::Statement under,
                         conn.Prepare(std::string(sqlite::kColumns) +
                                      "WHERE path >= ? AND path < ? ORDER BY path"));
        under.BindText(prefix + "/").BindText(prefix + "0");
        RETURN_IF_ERROR(sqlite::AppendRows(under, out));
        return out;
      });
}

absl::StatusOr<std::vector<std::string>> SqliteStore::DeleteArtifacts(const std::string& path,
                                                                      int64_t* removed) {
  std::string prefix = sqlite::TrimSlashes(path);
  return InWriteTransaction(
      [&](sqlite::Connection& conn) -> absl::StatusOr<std::vector<std::string>> {
        std::set<std::string> digests;
        int64_t count = 0;
        RETURN_IF_ERROR(sqlite::DeleteUnder(conn, prefix, digests, count));
        if (removed != nullptr) *removed = count;
        return sqlite::Unreferenced(conn, digests);
      });
}

}  // namespace ferry::store::sqlite
