// SqliteStore's AuthStore, part two: users' grants on experiments and registered models
// (MLflow's experiment_permissions and registered_model_permissions), one table per kind with
// the same shape, so every statement here is written once for both.

#include <string>

#include "common/strings.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

// How a kind of grant is stored and named in MLflow's messages.
struct GrantTable {
  const char* table;
  const char* column;  // the resource's column, also the key in messages
  const char* label;   // "Experiment permission"
};

const GrantTable& TableOf(GrantResource kind) {
  static const GrantTable kExperiment{"experiment_permissions", "experiment_id",
                                      "Experiment permission"};
  static const GrantTable kModel{"registered_model_permissions", "name",
                                 "Registered model permission"};
  return kind == GrantResource::kExperiment ? kExperiment : kModel;
}

absl::Status GrantNotFound(const GrantTable& t, const std::string& resource,
                           const std::string& username) {
  return absl::NotFoundError(
      StrCat(t.label, " with ", t.column, "=", resource, " and username=", username, " not found"));
}

absl::Status GrantExists(const GrantTable& t, const std::string& resource,
                         const std::string& username) {
  return absl::AlreadyExistsError(
      StrCat(t.label, " (", t.column, "=", resource, ", username=", username, ") already exists."));
}

absl::StatusOr<int64_t> UserId(Connection& conn, const std::string& username) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT user_id FROM users WHERE username = ?"));
  st.BindText(username);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return absl::NotFoundError("User with username=" + username + " not found");
  return st.Int(0);
}

// Runs `sql` (binding `first`, then the user's id, then `resource`); kNotFound when no grant
// matched. With an empty `first`, binds only the user's id and `resource`.
absl::Status ChangeGrant(Connection& conn, GrantResource kind, const std::string& sql,
                         const std::string& resource, const std::string& username,
                         const std::optional<std::string>& first) {
  const GrantTable& t = TableOf(kind);
  ASSIGN_OR_RETURN(int64_t user_id, UserId(conn, username));
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(sql));
  if (first) st.BindText(*first);
  RETURN_IF_ERROR(st.BindInt(user_id).BindText(resource).Run());
  return conn.Changes() == 0 ? GrantNotFound(t, resource, username) : absl::OkStatus();
}

absl::StatusOr<std::vector<GrantRecord>> ReadGrants(Connection& conn, GrantResource kind,
                                                    int64_t user_id) {
  const GrantTable& t = TableOf(kind);
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare(StrCat("SELECT ", t.column, ", permission FROM ", t.table,
                                       " WHERE user_id = ? ORDER BY ", t.column)));
  st.BindInt(user_id);
  std::vector<GrantRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(GrantRecord{st.Text(0), user_id, st.Text(1)});
  }
}

}  // namespace

absl::StatusOr<GrantRecord> SqliteStore::CreateGrant(GrantResource kind,
                                                     const std::string& resource,
                                                     const std::string& username,
                                                     const std::string& permission) {
  return InWriteTransaction([&](Connection& conn) -> absl::StatusOr<GrantRecord> {
    const GrantTable& t = TableOf(kind);
    ASSIGN_OR_RETURN(int64_t user_id, UserId(conn, username));
    ASSIGN_OR_RETURN(Statement st,
                     conn.Prepare(StrCat("INSERT INTO ", t.table, " (user_id, ", t.column,
                                         ", permission) VALUES (?, ?, ?)")));
    absl::Status inserted = st.BindInt(user_id).BindText(resource).BindText(permission).Run();
    if (absl::IsAlreadyExists(inserted)) return GrantExists(t, resource, username);
    RETURN_IF_ERROR(inserted);
    return GrantRecord{resource, user_id, permission};
  });
}

absl::StatusOr<GrantRecord> SqliteStore::GetGrant(GrantResource kind, const std::string& resource,
                                                  const std::string& username) {
  return InReadTransaction([&](Connection& conn) -> absl::StatusOr<GrantRecord> {
    const GrantTable& t = TableOf(kind);
    ASSIGN_OR_RETURN(int64_t user_id, UserId(conn, username));
    ASSIGN_OR_RETURN(Statement st,
                     conn.Prepare(StrCat("SELECT permission FROM ", t.table,
                                         " WHERE user_id = ? AND ", t.column, " = ?")));
    st.BindInt(user_id).BindText(resource);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return GrantNotFound(t, resource, username);
    return GrantRecord{resource, user_id, st.Text(0)};
  });
}

absl::Status SqliteStore::UpdateGrant(GrantResource kind, const std::string& resource,
                                      const std::string& username, const std::string& permission) {
  return InWriteTransaction([&](Connection& conn) {
    const GrantTable& t = TableOf(kind);
    return ChangeGrant(
        conn, kind,
        StrCat("UPDATE ", t.table, " SET permission = ? WHERE user_id = ? AND ", t.column, " = ?"),
        resource, username, permission);
  });
}

absl::Status SqliteStore::DeleteGrant(GrantResource kind, const std::string& resource,
                                      const std::string& username) {
  return InWriteTransaction([&](Connection& conn) {
    const GrantTable& t = TableOf(kind);
    return ChangeGrant(conn, kind,
                       StrCat("DELETE FROM ", t.table, " WHERE user_id = ? AND ", t.column, " = ?"),
                       resource, username, std::nullopt);
  });
}

absl::StatusOr<UserGrants> SqliteStore::ListGrants(int64_t user_id) {
  return InReadTransaction([&](Connection& conn) -> absl::StatusOr<UserGrants> {
    UserGrants out;
    ASSIGN_OR_RETURN(out.experiments, ReadGrants(conn, GrantResource::kExperiment, user_id));
    ASSIGN_OR_RETURN(out.registered_models,
                     ReadGrants(conn, GrantResource::kRegisteredModel, user_id));
    return out;
  });
}

absl::Status SqliteStore::RenameGrants(GrantResource kind, const std::string& old_resource,
                                       const std::string& new_resource) {
  return InWriteTransaction([&](Connection& conn) -> absl::Status {
    const GrantTable& t = TableOf(kind);
    // OR REPLACE: a stale grant already on the new name gives way to the moved one.
    ASSIGN_OR_RETURN(Statement st, conn.Prepare(StrCat("UPDATE OR REPLACE ", t.table, " SET ",
                                                       t.column, " = ? WHERE ", t.column, " = ?")));
    return st.BindText(new_resource).BindText(old_resource).Run();
  });
}

absl::Status SqliteStore::DeleteGrants(GrantResource kind, const std::string& resource) {
  return InWriteTransaction([&](Connection& conn) -> absl::Status {
    const GrantTable& t = TableOf(kind);
    ASSIGN_OR_RETURN(Statement st,
                     conn.Prepare(StrCat("DELETE FROM ", t.table, " WHERE ", t.column, " = ?")));
    return st.BindText(resource).Run();
  });
}

}  // namespace ferry::store::sqlite
