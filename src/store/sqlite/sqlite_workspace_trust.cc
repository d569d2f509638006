// SqliteStore's per-workspace package trust policies (migration 11): one row per workspace
// that has one, removed with the workspace (ON DELETE CASCADE).

#include <string>

#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

absl::Status NoPolicy(const std::string& workspace) {
  return absl::NotFoundError("Workspace '" + workspace + "' has no trust policy");
}

}  // namespace

absl::StatusOr<WorkspaceTrustPolicy> SqliteStore::GetTrustPolicy(const std::string& workspace) {
  return InReadTransaction([&](Connection& conn) -> absl::StatusOr<WorkspaceTrustPolicy> {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT policy, updated_by, updated_ms FROM "
                                                "workspace_trust_policies WHERE workspace = ?"));
    st.BindText(workspace);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NoPolicy(workspace);
    return WorkspaceTrustPolicy{workspace, st.Text(0), st.Text(1), st.Int(2)};
  });
}

absl::Status SqliteStore::SetTrustPolicy(const WorkspaceTrustPolicy& p) {
  return InWriteTransaction([&](Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement exists, conn.Prepare("SELECT 1 FROM workspaces WHERE name = ?"));
    exists.BindText(p.workspace);
    ASSIGN_OR_RETURN(bool row, exists.Step());
    if (!row) return absl::NotFoundError("Workspace '" + p.workspace + "' not found");
    ASSIGN_OR_RETURN(Statement st,
                     conn.Prepare("INSERT INTO workspace_trust_policies (workspace, policy, "
                                  "updated_by, updated_ms) VALUES (?, ?, ?, ?) "
                                  "ON CONFLICT (workspace) DO UPDATE SET policy = excluded.policy, "
                                  "updated_by = excluded.updated_by, "
                                  "updated_ms = excluded.updated_ms"));
    return st.BindText(p.workspace)
        .BindText(p.policy)
        .BindText(p.updated_by)
        .BindInt(p.updated_ms)
        .Run();
  });
}

absl::Status SqliteStore::DeleteTrustPolicy(const std::string& workspace) {
  return InWriteTransaction([&](Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st,
                     conn.Prepare("DELETE FROM workspace_trust_policies WHERE workspace = ?"));
    RETURN_IF_ERROR(st.BindText(workspace).Run());
    if (conn.Changes() == 0) return NoPolicy(workspace);
    return absl::OkStatus();
  });
}

}  // namespace ferry::store::sqlite
