// SqliteStore's WorkspaceStore: the workspaces table (migration 8). Experiments name their
// workspace (experiments.workspace, a foreign key), so a workspace that still holds one cannot
// go.

#include <string>
#include <vector>

#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

constexpr char kSelectWorkspaces[] = "SELECT name, description, creation_time FROM workspaces";

Workspace WorkspaceFromRow(const Statement& st) {
  return Workspace{st.Text(0), st.Text(1), st.Int(2)};
}

absl::Status WorkspaceNotFound(const std::string& name) {
  return absl::NotFoundError("Workspace '" + name + "' not found");
}

absl::StatusOr<Workspace> ReadWorkspace(Connection& conn, const std::string& name) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(std::string(kSelectWorkspaces) + " WHERE name = ?"));
  st.BindText(name);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return WorkspaceNotFound(name);
  return WorkspaceFromRow(st);
}

}  // namespace

absl::StatusOr<Workspace> SqliteStore::CreateWorkspace(const std::string& name,
                                                       const std::string& description,
                                                       int64_t now_ms) {
  return InWriteTransaction([&](Connection& conn) -> absl::StatusOr<Workspace> {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("INSERT INTO workspaces (name, description, "
                                                "creation_time) VALUES (?, ?, ?)"));
    absl::Status inserted = st.BindText(name).BindText(description).BindInt(now_ms).Run();
    if (absl::IsAlreadyExists(inserted)) {
      return absl::AlreadyExistsError("Workspace '" + name + "' already exists");
    }
    RETURN_IF_ERROR(inserted);
    return Workspace{name, description, now_ms};
  });
}

absl::StatusOr<Workspace> SqliteStore::GetWorkspace(const std::string& name) {
  return InReadTransaction([&](Connection& conn) { return ReadWorkspace(conn, name); });
}

absl::StatusOr<std::vector<Workspace>> SqliteStore::ListWorkspaces() {
  return InReadTransaction([&](Connection& conn) -> absl::StatusOr<std::vector<Workspace>> {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare(std::string(kSelectWorkspaces) + " ORDER BY name"));
    std::vector<Workspace> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      out.push_back(WorkspaceFromRow(st));
    }
  });
}

absl::StatusOr<Workspace> SqliteStore::UpdateWorkspace(const std::string& name,
                                                       const std::string& description) {
  return InWriteTransaction([&](Connection& conn) -> absl::StatusOr<Workspace> {
    ASSIGN_OR_RETURN(Workspace w, ReadWorkspace(conn, name));
    ASSIGN_OR_RETURN(Statement st,
                     conn.Prepare("UPDATE workspaces SET description = ? WHERE name = ?"));
    RETURN_IF_ERROR(st.BindText(description).BindText(name).Run());
    w.description = description;
    return w;
  });
}

absl::Status SqliteStore::DeleteWorkspace(const std::string& name) {
  return InWriteTransaction([&](Connection& conn) -> absl::Status {
    if (name == kDefaultWorkspace) {
      return absl::FailedPreconditionError("The default workspace cannot be deleted");
    }
    RETURN_IF_ERROR(ReadWorkspace(conn, name).status());
    ASSIGN_OR_RETURN(Statement used,
                     conn.Prepare("SELECT COUNT(*) FROM experiments WHERE workspace = ?"));
    used.BindText(name);
    ASSIGN_OR_RETURN(bool row, used.Step());
    if (row && used.Int(0) > 0) {
      return absl::FailedPreconditionError(
          "Workspace '" + name + "' still holds " + std::to_string(used.Int(0)) +
          " experiment(s), deleted ones included; it can be deleted once it is empty");
    }
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("DELETE FROM workspaces WHERE name = ?"));
    return st.BindText(name).Run();
  });
}

}  // namespace ferry::store::sqlite
