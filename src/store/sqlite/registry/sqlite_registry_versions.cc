// SqliteStore: model versions (create, get, update, stage transitions, delete, tags, status).

#include "core/workspace.h"
#include "store/sqlite/registry/sqlite_registry_internal.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

// Allocates the model's next version number: the highest ever allocated + 1, so numbers of
// deleted versions are never handed out again.
absl::StatusOr<int64_t> AllocateVersion(Connection& conn, const std::string& name, int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare("UPDATE registered_models SET last_version = last_version + 1, "
                                "last_updated_time = ? WHERE name = ? RETURNING last_version"));
  st.BindInt(now_ms).BindText(name);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return RegisteredModelNotFound(name);
  int64_t version = st.Int(0);
  RETURN_IF_ERROR(st.Run());  // finish the statement
  return version;
}

absl::Status InsertVersion(Connection& conn, const ModelVersion& v) {
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare("INSERT INTO model_versions (name, version, creation_time, "
                                "last_updated_time, description, user_id, current_stage, source, "
                                "run_id, run_link, status, status_message) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  return st.BindText(v.name)
      .BindInt(v.version)
      .BindInt(v.creation_timestamp)
      .BindInt(v.last_updated_timestamp)
      .BindText(v.description)
      .BindText(v.user_id)
      .BindText(ModelStageName(v.current_stage))
      .BindText(v.source)
      .BindText(v.run_id)
      .BindText(v.run_link)
      .BindText(ModelVersionStatusName(v.status))
      .BindText(v.status_message)
      .Run();
}

absl::Status UpsertVersionTag(Connection& conn, const std::string& name, int64_t version,
                              const ModelVersionTag& tag) {
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare("INSERT INTO model_version_tags (name, version, key, value) "
                                "VALUES (?, ?, ?, ?) ON CONFLICT (name, version, key) "
                                "DO UPDATE SET value = excluded.value"));
  return st.BindText(name).BindInt(version).BindText(tag.key).BindText(tag.value).Run();
}

// Archives every version of `name` other than `keep` that is in `stage`; returns their numbers.
absl::StatusOr<std::vector<int64_t>> ArchiveOthers(Connection& conn, const std::string& name,
                                                   int64_t keep, ModelStage stage, int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare("UPDATE model_versions SET current_stage = 'Archived', "
                                "last_updated_time = ? WHERE name = ? AND version != ? AND "
                                "current_stage = ? RETURNING version"));
  st.BindInt(now_ms).BindText(name).BindInt(keep).BindText(ModelStageName(stage));
  std::vector<int64_t> archived;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return archived;
    archived.push_back(st.Int(0));
  }
}

}  // namespace

absl::StatusOr<ModelVersion> SqliteStore::CreateModelVersion(const std::string& workspace,
                                                             const ModelVersion& version) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<ModelVersion> {
    ModelVersion v = version;
    v.name = WorkspaceKey(workspace, version.name);
    ASSIGN_OR_RETURN(v.version,
                     sqlite::AllocateVersion(conn, v.name, version.last_updated_timestamp));
    RETURN_IF_ERROR(sqlite::InsertVersion(conn, v));
    for (const ModelVersionTag& tag : v.tags) {
      RETURN_IF_ERROR(sqlite::UpsertVersionTag(conn, v.name, v.version, tag));
    }
    return sqlite::ReadModelVersion(conn, v.name, v.version);
  });
}

absl::StatusOr<ModelVersion> SqliteStore::GetModelVersion(const std::string& workspace,
                                                          const std::string& name,
                                                          int64_t version) {
  const std::string key = WorkspaceKey(workspace, name);
  return InReadTransaction(
      [&](sqlite::Connection& conn) { return sqlite::ReadModelVersion(conn, key, version); });
}

absl::StatusOr<ModelVersion> SqliteStore::UpdateModelVersion(const std::string& workspace,
                                                             const std::string& name,
                                                             int64_t version,
                                                             const std::string& description,
                                                             int64_t now_ms) {
  const std::string key = WorkspaceKey(workspace, name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<ModelVersion> {
    RETURN_IF_ERROR(sqlite::ReadModelVersion(conn, key, version).status());
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("UPDATE model_versions SET description = ?, "
                                  "last_updated_time = ? WHERE name = ? AND version = ?"));
    RETURN_IF_ERROR(st.BindText(description).BindInt(now_ms).BindText(key).BindInt(version).Run());
    return sqlite::ReadModelVersion(conn, key, version);
  });
}

absl::StatusOr<ModelVersion> SqliteStore::TransitionModelVersionStage(
    const std::string& workspace, const std::string& name, int64_t version, ModelStage stage,
    bool archive_existing, int64_t now_ms, std::vector<int64_t>* archived) {
  const std::string key = WorkspaceKey(workspace, name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<ModelVersion> {
    RETURN_IF_ERROR(sqlite::ReadModelVersion(conn, key, version).status());
    if (archive_existing) {
      ASSIGN_OR_RETURN(std::vector<int64_t> others,
                       sqlite::ArchiveOthers(conn, key, version, stage, now_ms));
      if (archived != nullptr) *archived = std::move(others);
    }
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("UPDATE model_versions SET current_stage = ?, "
                                  "last_updated_time = ? WHERE name = ? AND version = ?"));
    RETURN_IF_ERROR(
        st.BindText(ModelStageName(stage)).BindInt(now_ms).BindText(key).BindInt(version).Run());
    RETURN_IF_ERROR(sqlite::TouchRegistry(conn, key, 0, now_ms));
    return sqlite::ReadModelVersion(conn, key, version);
  });
}

absl::Status SqliteStore::DeleteModelVersion(const std::string& workspace, const std::string& name,
                                             int64_t version, int64_t now_ms) {
  const std::string key = WorkspaceKey(workspace, name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(sqlite::Statement st, conn.Prepare("DELETE FROM model_versions "
                                                        "WHERE name = ? AND version = ?"));
    RETURN_IF_ERROR(st.BindText(key).BindInt(version).Run());
    if (conn.Changes() == 0) return sqlite::ModelVersionNotFound(key, version);
    return sqlite::TouchRegistry(conn, key, 0, now_ms);
  });
}

absl::Status SqliteStore::SetModelVersionTag(const std::string& workspace, const std::string& name,
                                             int64_t version, const ModelVersionTag& tag) {
  const std::string key = WorkspaceKey(workspace, name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::ReadModelVersion(conn, key, version).status());
    return sqlite::UpsertVersionTag(conn, key, version, tag);
  });
}

absl::Status SqliteStore::DeleteModelVersionTag(const std::string& workspace,
                                                const std::string& name, int64_t version,
                                                const std::string& tag_key) {
  const std::string model_key = WorkspaceKey(workspace, name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::ReadModelVersion(conn, model_key, version).status());
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("DELETE FROM model_version_tags "
                                  "WHERE name = ? AND version = ? AND key = ?"));
    return st.BindText(model_key).BindInt(version).BindText(tag_key).Run();
  });
}

absl::StatusOr<ModelVersion> SqliteStore::SetModelVersionStatus(const ModelVersion& pending,
                                                                ModelVersionStatus status,
                                                                const std::string& message,
                                                                int64_t now_ms) {
  const std::string key = WorkspaceKey(pending.workspace, pending.name);
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<ModelVersion> {
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("UPDATE model_versions SET status = ?, status_message = ?, "
                                  "last_updated_time = ? WHERE name = ? AND version = ? AND "
                                  "source = ? AND creation_time = ? AND "
                                  "status = 'PENDING_REGISTRATION'"));
    RETURN_IF_ERROR(st.BindText(ModelVersionStatusName(status))
                        .BindText(message)
                        .BindInt(now_ms)
                        .BindText(key)
                        .BindInt(pending.version)
                        .BindText(pending.source)
                        .BindInt(pending.creation_timestamp)
                        .Run());
    if (conn.Changes() == 0) {
      return absl::FailedPreconditionError("model version " + std::to_string(pending.version) +
                                           " of '" + pending.name +
                                           "' is no longer the pending version that was verified");
    }
    return sqlite::ReadModelVersion(conn, key, pending.version);
  });
}

absl::StatusOr<std::vector<ModelVersion>> SqliteStore::ListPendingModelVersions() {
  return InReadTransaction(
      [&](sqlite::Connection& conn) -> absl::StatusOr<std::vector<ModelVersion>> {
        ASSIGN_OR_RETURN(sqlite::Statement st,
                         conn.Prepare("SELECT name, version FROM model_versions WHERE status = "
                                      "'PENDING_REGISTRATION' ORDER BY creation_time, name, "
                                      "version"));
        std::vector<sqlite::VersionKey> keys;
        while (true) {
          ASSIGN_OR_RETURN(bool row, st.Step());
          if (!row) break;
          keys.push_back({st.Text(0), st.Int(1)});
        }
        return sqlite::ReadModelVersions(conn, keys);
      });
}

}  // namespace ferry::store::sqlite
