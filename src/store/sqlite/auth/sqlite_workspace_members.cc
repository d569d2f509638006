// SqliteStore's AuthStore, part three: the members of workspaces and their roles (migration 9).
// A user member is named by username and must exist; a group is any name an OIDC token may
// carry. Deleting a user removes its memberships (sqlite_auth_users.cc).

#include <string>
#include <vector>

#include "common/strings.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

absl::Status RequireRow(Connection& conn, const std::string& sql, const std::string& key,
                        absl::Status missing) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(sql));
  st.BindText(key);
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? absl::OkStatus() : missing;
}

}  // namespace

absl::StatusOr<std::vector<WorkspaceMemberRecord>> SqliteStore::ListWorkspaceMembers(
    const std::string& workspace) {
  return InReadTransaction(
      [&](Connection& conn) -> absl::StatusOr<std::vector<WorkspaceMemberRecord>> {
        ASSIGN_OR_RETURN(Statement st,
                         conn.Prepare("SELECT workspace, kind, principal, role FROM "
                                      "workspace_members WHERE ? = '' OR workspace = ? "
                                      "ORDER BY workspace, kind, principal"));
        st.BindText(workspace).BindText(workspace);
        std::vector<WorkspaceMemberRecord> out;
        while (true) {
          ASSIGN_OR_RETURN(bool row, st.Step());
          if (!row) return out;
          out.push_back(WorkspaceMemberRecord{st.Text(0), st.Text(1), st.Text(2), st.Text(3)});
        }
      });
}

absl::Status SqliteStore::PutWorkspaceMember(const WorkspaceMemberRecord& m) {
  return InWriteTransaction([&](Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(RequireRow(conn, "SELECT 1 FROM workspaces WHERE name = ?", m.workspace,
                               absl::NotFoundError("Workspace '" + m.workspace + "' not found")));
    if (m.kind == "user") {
      RETURN_IF_ERROR(
          RequireRow(conn, "SELECT 1 FROM users WHERE username = ?", m.principal,
                     absl::NotFoundError("User with username=" + m.principal + " not found")));
    }
    ASSIGN_OR_RETURN(Statement st,
                     conn.Prepare("INSERT INTO workspace_members (workspace, kind, principal, "
                                  "role) VALUES (?, ?, ?, ?) ON CONFLICT (workspace, kind, "
                                  "principal) DO UPDATE SET role = excluded.role"));
    return st.BindText(m.workspace).BindText(m.kind).BindText(m.principal).BindText(m.role).Run();
  });
}

absl::Status SqliteStore::DeleteWorkspaceMember(const std::string& workspace,
                                                const std::string& kind,
                                                const std::string& principal) {
  return InWriteTransaction([&](Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("DELETE FROM workspace_members WHERE "
                                                "workspace = ? AND kind = ? AND principal = ?"));
    RETURN_IF_ERROR(st.BindText(workspace).BindText(kind).BindText(principal).Run());
    if (conn.Changes() > 0) return absl::OkStatus();
    return absl::NotFoundError(
        StrCat("No ", kind, " '", principal, "' is a member of workspace '", workspace, "'"));
  });
}

}  // namespace ferry::store::sqlite
