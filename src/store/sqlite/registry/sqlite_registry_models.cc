// SqliteStore: registered models (create, get, rename, update, delete), their tags and aliases.
// Each method keys the model by core/workspace.h's WorkspaceKey(workspace, name).

#include "core/workspace.h"
#include "store/sqlite/registry/sqlite_registry_internal.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

absl::Status ModelAlreadyExists(const std::string& name) {
  return absl::AlreadyExistsError("Registered Model (name=" + SplitWorkspaceKey(name).name +
                                  ") already exists.");
}

absl::Status UpsertModelTag(Connection& conn, const std::string& name,
                            const RegisteredModelTag& tag) {
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare("INSERT INTO registered_model_tags (name, key, value) "
                                "VALUES (?, ?, ?) ON CONFLICT (name, key) "
                                "DO UPDATE SET value = excluded.value"));
  return st.BindText(name).BindText(tag.key).BindText(tag.value).Run();
}

}  // namespace

absl::StatusOr<RegisteredModel> SqliteStore::CreateRegisteredModel(const std::string& workspace,
                                                                   const RegisteredModel& model) {
  const std::string key = WorkspaceKey(workspace, model.name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<RegisteredModel> {
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("INSERT INTO registered_models (name, creation_time, "
                                  "last_updated_time, description, user_id) "
                                  "VALUES (?, ?, ?, ?, ?)"));
    absl::Status inserted = st.BindText(key)
                                .BindInt(model.creation_timestamp)
                                .BindInt(model.last_updated_timestamp)
                                .BindText(model.description)
                                .BindText(model.user_id)
                                .Run();
    if (absl::IsAlreadyExists(inserted)) return sqlite::ModelAlreadyExists(key);
    RETURN_IF_ERROR(inserted);
    for (const RegisteredModelTag& tag : model.tags) {
      RETURN_IF_ERROR(sqlite::UpsertModelTag(conn, key, tag));
    }
    return sqlite::ReadRegisteredModel(conn, key);
  });
}

absl::StatusOr<RegisteredModel> SqliteStore::GetRegisteredModel(const std::string& workspace,
                                                                const std::string& name) {
  const std::string key = WorkspaceKey(workspace, name);
  return InReadTransaction(
      [&](sqlite::Connection& conn) { return sqlite::ReadRegisteredModel(conn, key); });
}

absl::StatusOr<RegisteredModel> SqliteStore::RenameRegisteredModel(const std::string& workspace,
                                                                   const std::string& name,
                                                                   const std::string& new_name,
                                                                   int64_t now_ms) {
  const std::string key = WorkspaceKey(workspace, name);
  const std::string new_key = WorkspaceKey(workspace, new_name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<RegisteredModel> {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, key));
    // ON UPDATE CASCADE carries versions, their tags and the aliases along.
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("UPDATE registered_models SET name = ?, last_updated_time = ? "
                                  "WHERE name = ?"));
    absl::Status updated = st.BindText(new_key).BindInt(now_ms).BindText(key).Run();
    if (absl::IsAlreadyExists(updated)) return sqlite::ModelAlreadyExists(new_name);
    RETURN_IF_ERROR(updated);
    ASSIGN_OR_RETURN(sqlite::Statement versions,
                     conn.Prepare("UPDATE model_versions SET last_updated_time = ? "
                                  "WHERE name = ?"));
    RETURN_IF_ERROR(versions.BindInt(now_ms).BindText(new_key).Run());
    return sqlite::ReadRegisteredModel(conn, new_key);
  });
}

absl::StatusOr<RegisteredModel> SqliteStore::UpdateRegisteredModel(const std::string& workspace,
                                                                   const std::string& name,
                                                                   const std::string& description,
                                                                   int64_t now_ms) {
  const std::string key = WorkspaceKey(workspace, name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<RegisteredModel> {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, key));
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("UPDATE registered_models SET description = ?, "
                                  "last_updated_time = ? WHERE name = ?"));
    RETURN_IF_ERROR(st.BindText(description).BindInt(now_ms).BindText(key).Run());
    return sqlite::ReadRegisteredModel(conn, key);
  });
}

absl::Status SqliteStore::DeleteRegisteredModel(const std::string& workspace,
                                                const std::string& name) {
  const std::string key = WorkspaceKey(workspace, name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, key));
    // Versions cascade to their tags and aliases; model tags cascade directly.
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("DELETE FROM registered_models WHERE name = ?"));
    return st.BindText(key).Run();
  });
}

absl::Status SqliteStore::SetRegisteredModelTag(const std::string& workspace,
                                                const std::string& name,
                                                const RegisteredModelTag& tag) {
  const std::string key = WorkspaceKey(workspace, name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, key));
    return sqlite::UpsertModelTag(conn, key, tag);
  });
}

absl::Status SqliteStore::DeleteRegisteredModelTag(const std::string& workspace,
                                                   const std::string& name,
                                                   const std::string& tag_key) {
  const std::string model_key = WorkspaceKey(workspace, name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, model_key));
    ASSIGN_OR_RETURN(sqlite::Statement st, conn.Prepare("DELETE FROM registered_model_tags "
                                                        "WHERE name = ? AND key = ?"));
    return st.BindText(model_key).BindText(tag_key).Run();
  });
}

absl::Status SqliteStore::SetRegisteredModelAlias(const std::string& workspace,
                                                  const std::string& name, const std::string& alias,
                                                  int64_t version) {
  const std::string key = WorkspaceKey(workspace, name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, key));
    RETURN_IF_ERROR(sqlite::ReadModelVersion(conn, key, version).status());
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("INSERT INTO registered_model_aliases (name, alias, version) "
                                  "VALUES (?, ?, ?) ON CONFLICT (name, alias) "
                                  "DO UPDATE SET version = excluded.version"));
    return st.BindText(key).BindText(alias).BindInt(version).Run();
  });
}

absl::Status SqliteStore::DeleteRegisteredModelAlias(const std::string& workspace,
                                                     const std::string& name,
                                                     const std::string& alias) {
  const std::string key = WorkspaceKey(workspace, name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, key));
    ASSIGN_OR_RETURN(sqlite::Statement st, conn.Prepare("DELETE FROM registered_model_aliases "
                                                        "WHERE name = ? AND alias = ?"));
    return st.BindText(key).BindText(alias).Run();
  });
}

absl::StatusOr<ModelVersion> SqliteStore::GetModelVersionByAlias(const std::string& workspace,
                                                                 const std::string& name,
                                                                 const std::string& alias) {
  const std::string key = WorkspaceKey(workspace, name);
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<ModelVersion> {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, key));
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("SELECT version FROM registered_model_aliases "
                                  "WHERE name = ? AND alias = ?"));
    st.BindText(key).BindText(alias);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      return absl::InvalidArgumentError("Registered model alias " + alias + " not found.");
    }
    return sqlite::ReadModelVersion(conn, key, st.Int(0));
  });
}

}  // namespace ferry::store::sqlite
