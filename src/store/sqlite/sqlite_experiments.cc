// SqliteStore: experiments (create, get, rename, delete/restore, tags).

#include <unordered_map>

#include "common/strings.h"
#include "store/sqlite/sqlite_internal.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

constexpr char kSelectExperiments[] =
    "SELECT experiment_id, name, artifact_location, lifecycle_stage, creation_time, "
    "last_update_time, workspace FROM experiments WHERE experiment_id IN (SELECT value FROM "
    "json_each(?))";
constexpr char kSelectExperimentTags[] =
    "SELECT experiment_id, key, value FROM experiment_tags "
    "WHERE experiment_id IN (SELECT value FROM json_each(?)) ORDER BY experiment_id, key";

Experiment ExperimentFromRow(const Statement& st) {
  Experiment e;
  e.experiment_id = std::to_string(st.Int(0));
  e.name = st.Text(1);
  e.artifact_location = st.Text(2);
  e.lifecycle_stage = ParseLifecycleStage(st.Text(3));
  e.creation_time = st.Int(4);
  e.last_update_time = st.Int(5);
  e.workspace = st.Text(6);
  return e;
}

absl::Status ReadExperimentTags(Connection& conn, const std::string& ids_json,
                                std::unordered_map<int64_t, Experiment*>& by_id) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(kSelectExperimentTags));
  st.BindText(ids_json);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::OkStatus();
    auto it = by_id.find(st.Int(0));
    if (it != by_id.end()) it->second->tags.push_back({st.Text(1), st.Text(2)});
  }
}

absl::Status AlreadyExists(const std::string& name, const absl::Status& cause) {
  return absl::AlreadyExistsError("Experiment(name=" + name +
                                  ") already exists. Error: " + std::string(cause.message()));
}

absl::Status UpsertExperimentTag(Connection& conn, int64_t id, const ExperimentTag& tag) {
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare("INSERT INTO experiment_tags (experiment_id, key, value) "
                                "VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) "
                                "DO UPDATE SET value = excluded.value"));
  return st.BindInt(id).BindText(tag.key).BindText(tag.value).Run();
}

// The location MLflow derives when none is given: `<root>/<id>`.
std::string DefaultArtifactLocation(const std::string& root, int64_t id) {
  std::string base = root.empty() ? "mlflow-artifacts:/" : root;
  if (base.back() != '/') base += '/';
  return base + std::to_string(id);
}

absl::StatusOr<int64_t> InsertExperiment(Connection& conn, std::string_view workspace,
                                         const std::string& name, const std::string& location,
                                         int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare("INSERT INTO experiments (workspace, name, artifact_location, "
                                "lifecycle_stage, creation_time, last_update_time) "
                                "VALUES (?, ?, ?, 'active', ?, ?) RETURNING experiment_id"));
  absl::StatusOr<bool> inserted = st.BindText(workspace)
                                      .BindText(name)
                                      .BindText(location)
                                      .BindInt(now_ms)
                                      .BindInt(now_ms)
                                      .Step();
  if (absl::IsAlreadyExists(inserted.status())) return AlreadyExists(name, inserted.status());
  RETURN_IF_ERROR(inserted.status());
  if (!*inserted) return absl::InternalError("INSERT INTO experiments returned no id");
  return st.Int(0);
}

absl::Status SetArtifactLocation(Connection& conn, int64_t id, const std::string& location) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("UPDATE experiments SET artifact_location = ? "
                                              "WHERE experiment_id = ?"));
  return st.BindText(location).BindInt(id).Run();
}

// Sets the lifecycle of an experiment and all its runs (MLflow's delete/restore cascade).
absl::Status WriteLifecycle(Connection& conn, int64_t id, LifecycleStage stage, int64_t now_ms) {
  const char* name = LifecycleStageName(stage);
  std::optional<int64_t> deleted_time;
  if (stage == LifecycleStage::kDeleted) deleted_time = now_ms;
  ASSIGN_OR_RETURN(Statement exp, conn.Prepare("UPDATE experiments SET lifecycle_stage = ?, "
                                               "last_update_time = ? WHERE experiment_id = ?"));
  RETURN_IF_ERROR(exp.BindText(name).BindInt(now_ms).BindInt(id).Run());
  ASSIGN_OR_RETURN(Statement runs, conn.Prepare("UPDATE runs SET lifecycle_stage = ?, "
                                                "deleted_time = ? WHERE experiment_id = ?"));
  return runs.BindText(name).BindOptionalInt(deleted_time).BindInt(id).Run();
}

}  // namespace

LifecycleStage ParseLifecycleStage(const std::string& s) {
  return s == "active" ? LifecycleStage::kActive : LifecycleStage::kDeleted;
}

absl::Status ExperimentNotFound(const std::string& id) {
  return absl::NotFoundError("No Experiment with id=" + id + " exists");
}

absl::Status CheckExperimentActive(const std::string& id, LifecycleStage stage) {
  if (stage == LifecycleStage::kActive) return absl::OkStatus();
  return absl::InvalidArgumentError("The experiment " + id +
                                    " must be in the 'active' state. Current state is " +
                                    LifecycleStageName(stage) + ".");
}

absl::StatusOr<std::vector<Experiment>> ReadExperiments(Connection& conn,
                                                        const std::vector<int64_t>& ids) {
  std::string ids_json = JsonIntArray(ids);
  std::unordered_map<int64_t, Experiment> found;
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(kSelectExperiments));
  st.BindText(ids_json);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    found.emplace(st.Int(0), ExperimentFromRow(st));
  }
  std::unordered_map<int64_t, Experiment*> by_id;
  for (auto& [id, e] : found) by_id[id] = &e;
  RETURN_IF_ERROR(ReadExperimentTags(conn, ids_json, by_id));
  std::vector<Experiment> out;
  out.reserve(found.size());
  for (int64_t id : ids) {
    auto it = found.find(id);
    if (it != found.end()) out.push_back(std::move(it->second));
  }
  return out;
}

absl::StatusOr<Experiment> ReadExperiment(Connection& conn, const std::string& id) {
  std::optional<int64_t> numeric = ParseInt64(id);
  if (!numeric) return ExperimentNotFound(id);
  ASSIGN_OR_RETURN(std::vector<Experiment> found, ReadExperiments(conn, {*numeric}));
  if (found.empty()) return ExperimentNotFound(id);
  return std::move(found.front());
}

absl::StatusOr<std::string> SqliteStore::CreateExperimentIn(
    std::string_view workspace, const std::string& name, const std::string& artifact_location,
    const std::string& artifact_root, const std::vector<ExperimentTag>& tags, int64_t now_ms) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<std::string> {
    ASSIGN_OR_RETURN(int64_t id,
                     sqlite::InsertExperiment(conn, workspace, name, artifact_location, now_ms));
    if (artifact_location.empty()) {
      RETURN_IF_ERROR(sqlite::SetArtifactLocation(
          conn, id, sqlite::DefaultArtifactLocation(artifact_root, id)));
    }
    for (const ExperimentTag& tag : tags) {
      RETURN_IF_ERROR(sqlite::UpsertExperimentTag(conn, id, tag));
    }
    return std::to_string(id);
  });
}

absl::StatusOr<Experiment> SqliteStore::GetExperiment(const std::string& id) {
  return InReadTransaction(
      [&](sqlite::Connection& conn) { return sqlite::ReadExperiment(conn, id); });
}

absl::StatusOr<Experiment> SqliteStore::GetExperimentByNameIn(std::string_view workspace,
                                                              const std::string& name) {
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<Experiment> {
    ASSIGN_OR_RETURN(sqlite::Statement st, conn.Prepare("SELECT experiment_id FROM experiments "
                                                        "WHERE workspace = ? AND name = ?"));
    st.BindText(workspace).BindText(name);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      return absl::NotFoundError("Could not find experiment with name '" + name + "'");
    }
    return sqlite::ReadExperiment(conn, std::to_string(st.Int(0)));
  });
}

absl::Status SqliteStore::RenameExperiment(const std::string& id, const std::string& new_name,
                                           int64_t now_ms) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(Experiment e, sqlite::ReadExperiment(conn, id));
    if (e.lifecycle_stage != LifecycleStage::kActive) {
      return absl::InvalidArgumentError("Cannot rename a non-active experiment.");
    }
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("UPDATE experiments SET name = ?, last_update_time = ? "
                                  "WHERE experiment_id = ?"));
    absl::Status updated = st.BindText(new_name).BindInt(now_ms).BindInt(*ParseInt64(id)).Run();
    if (absl::IsAlreadyExists(updated)) return sqlite::AlreadyExists(new_name, updated);
    return updated;
  });
}

absl::Status SqliteStore::SetExperimentLifecycle(const std::string& id, LifecycleStage stage,
                                                 int64_t now_ms) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(Experiment e, sqlite::ReadExperiment(conn, id));
    // As MLflow: deleting looks among active experiments only, restoring among deleted ones.
    if (e.lifecycle_stage == stage) return sqlite::ExperimentNotFound(id);
    return sqlite::WriteLifecycle(conn, *ParseInt64(id), stage, now_ms);
  });
}

absl::Status SqliteStore::SetExperimentTag(const std::string& id, const ExperimentTag& tag) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(Experiment e, sqlite::ReadExperiment(conn, id));
    RETURN_IF_ERROR(sqlite::CheckExperimentActive(id, e.lifecycle_stage));
    return sqlite::UpsertExperimentTag(conn, *ParseInt64(id), tag);
  });
}

}  // namespace ferry::store::sqlite
