// SqliteStore: registered models (create, get, rename, update, delete), their tags and aliases.

#include "store/sqlite/registry/sqlite_registry_internal.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

absl::Status ModelAlreadyExists(const std::string& name) {
  return absl::AlreadyExistsError("Registered Model (name=" + name + ") already exists.");
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

absl::StatusOr<RegisteredModel> SqliteStore::CreateRegisteredModel(const RegisteredModel& model) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<RegisteredModel> {
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("INSERT INTO registered_models (name, creation_time, "
                                  "last_updated_time, description, user_id) "
                                  "VALUES (?, ?, ?, ?, ?)"));
    absl::Status inserted = st.BindText(model.name)
                                .BindInt(model.creation_timestamp)
                                .BindInt(model.last_updated_timestamp)
                                .BindText(model.description)
                                .BindText(model.user_id)
                                .Run();
    if (absl::IsAlreadyExists(inserted)) return sqlite::ModelAlreadyExists(model.name);
    RETURN_IF_ERROR(inserted);
    for (const RegisteredModelTag& tag : model.tags) {
      RETURN_IF_ERROR(sqlite::UpsertModelTag(conn, model.name, tag));
    }
    return sqlite::ReadRegisteredModel(conn, model.name);
  });
}

absl::StatusOr<RegisteredModel> SqliteStore::GetRegisteredModel(const std::string& name) {
  return InReadTransaction(
      [&](sqlite::Connection& conn) { return sqlite::ReadRegisteredModel(conn, name); });
}

absl::StatusOr<RegisteredModel> SqliteStore::RenameRegisteredModel(const std::string& name,
                                                                   const std::string& new_name,
                                                                   int64_t now_ms) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<RegisteredModel> {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, name));
    // ON UPDATE CASCADE carries versions, their tags and the aliases along.
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("UPDATE registered_models SET name = ?, last_updated_time = ? "
                                  "WHERE name = ?"));
    absl::Status updated = st.BindText(new_name).BindInt(now_ms).BindText(name).Run();
    if (absl::IsAlreadyExists(updated)) return sqlite::ModelAlreadyExists(new_name);
    RETURN_IF_ERROR(updated);
    ASSIGN_OR_RETURN(sqlite::Statement versions,
                     conn.Prepare("UPDATE model_versions SET last_updated_time = ? "
                                  "WHERE name = ?"));
    RETURN_IF_ERROR(versions.BindInt(now_ms).BindText(new_name).Run());
    return sqlite::ReadRegisteredModel(conn, new_name);
  });
}

absl::StatusOr<RegisteredModel> SqliteStore::UpdateRegisteredModel(const std::string& name,
                                                                   const std::string& description,
                                                                   int64_t now_ms) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<RegisteredModel> {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, name));
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("UPDATE registered_models SET description = ?, "
                                  "last_updated_time = ? WHERE name = ?"));
    RETURN_IF_ERROR(st.BindText(description).BindInt(now_ms).BindText(name).Run());
    return sqlite::ReadRegisteredModel(conn, name);
  });
}

absl::Status SqliteStore::DeleteRegisteredModel(const std::string& name) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, name));
    // Versions cascade to their tags and aliases; model tags cascade directly.
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("DELETE FROM registered_models WHERE name = ?"));
    return st.BindText(name).Run();
  });
}

absl::Status SqliteStore::SetRegisteredModelTag(const std::string& name,
                                                const RegisteredModelTag& tag) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, name));
    return sqlite::UpsertModelTag(conn, name, tag);
  });
}

absl::Status SqliteStore::DeleteRegisteredModelTag(const std::string& name,
                                                   const std::string& key) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, name));
    ASSIGN_OR_RETURN(sqlite::Statement st, conn.Prepare("DELETE FROM registered_model_tags "
                                                        "WHERE name = ? AND key = ?"));
    return st.BindText(name).BindText(key).Run();
  });
}

absl::Status SqliteStore::SetRegisteredModelAlias(const std::string& name, const std::string& alias,
                                                  int64_t version) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, name));
    RETURN_IF_ERROR(sqlite::ReadModelVersion(conn, name, version).status());
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("INSERT INTO registered_model_aliases (name, alias, version) "
                                  "VALUES (?, ?, ?) ON CONFLICT (name, alias) "
                                  "DO UPDATE SET version = excluded.version"));
    return st.BindText(name).BindText(alias).BindInt(version).Run();
  });
}

absl::Status SqliteStore::DeleteRegisteredModelAlias(const std::string& name,
                                                     const std::string& alias) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, name));
    ASSIGN_OR_RETURN(sqlite::Statement st, conn.Prepare("DELETE FROM registered_model_aliases "
                                                        "WHERE name = ? AND alias = ?"));
    return st.BindText(name).BindText(alias).Run();
  });
}

absl::StatusOr<ModelVersion> SqliteStore::GetModelVersionByAlias(const std::string& name,
                                                                 const std::string& alias) {
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<ModelVersion> {
    RETURN_IF_ERROR(sqlite::CheckRegisteredModelExists(conn, name));
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("SELECT version FROM registered_model_aliases "
                                  "WHERE name = ? AND alias = ?"));
    st.BindText(name).BindText(alias);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      return absl::InvalidArgumentError("Registered model alias " + alias + " not found.");
    }
    return sqlite::ReadModelVersion(conn, name, st.Int(0));
  });
}

}  // namespace ferry::store::sqlite
