// SqliteStore: run lifecycle (create, get, update, delete/restore) and tag deletion.

#include "common/strings.h"
#include "core/validation.h"
#include "store/sqlite/sqlite_internal.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

absl::Status InsertRun(Connection& conn, const RunInfo& info, const std::string& name,
                       int64_t experiment_id) {
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare("INSERT INTO runs (run_uuid, name, experiment_id, user_id, "
                                "status, start_time, end_time, artifact_uri, lifecycle_stage) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active')"));
  absl::Status inserted = st.BindText(info.run_id)
                              .BindText(name)
                              .BindInt(experiment_id)
                              .BindText(info.user_id)
                              .BindText(RunStatusName(info.status))
                              .BindInt(info.start_time)
                              .BindOptionalInt(info.end_time)
                              .BindText(info.artifact_uri)
                              .Run();
  if (absl::IsAlreadyExists(inserted)) {
    return absl::AlreadyExistsError("Run with id=" + info.run_id + " already exists");
  }
  return inserted;
}

absl::Status WriteRunInfo(Connection& conn, const RunInfo& info) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("UPDATE runs SET status = ?, end_time = ?, "
                                              "name = ? WHERE run_uuid = ?"));
  return st.BindText(RunStatusName(info.status))
      .BindOptionalInt(info.end_time)
      .BindText(info.run_name)
      .BindText(info.run_id)
      .Run();
}

}  // namespace

absl::Status SqliteStore::CreateRun(const RunInfo& info, const std::vector<RunTag>& tags) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(Experiment e, sqlite::ReadExperiment(conn, info.experiment_id));
    RETURN_IF_ERROR(sqlite::CheckExperimentActive(info.experiment_id, e.lifecycle_stage));
    std::vector<RunTag> all_tags = tags;
    ASSIGN_OR_RETURN(std::string name, ResolveRunName(info.run_name, all_tags));
    RETURN_IF_ERROR(sqlite::InsertRun(conn, info, name, *ParseInt64(e.experiment_id)));
    for (const RunTag& tag : all_tags) {
      RETURN_IF_ERROR(sqlite::UpsertRunTag(conn, info.run_id, tag));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<Run> SqliteStore::GetRun(const std::string& run_id) {
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<Run> {
    ASSIGN_OR_RETURN(std::vector<Run> runs, sqlite::ReadRuns(conn, {run_id}));
    if (runs.empty()) return absl::NotFoundError("Run with id=" + run_id + " not found");
    return std::move(runs.front());
  });
}

absl::StatusOr<RunInfo> SqliteStore::UpdateRun(const std::string& run_id,
                                               std::optional<RunStatus> status,
                                               std::optional<int64_t> end_time,
                                               std::optional<std::string> run_name) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<RunInfo> {
    ASSIGN_OR_RETURN(RunInfo info, sqlite::ReadRunInfo(conn, run_id));
    RETURN_IF_ERROR(sqlite::CheckRunActive(info));
    if (status) info.status = *status;
    if (end_time) info.end_time = *end_time;
    // As MLflow, an empty run name leaves the name unchanged.
    bool rename = run_name.has_value() && !run_name->empty();
    if (rename) info.run_name = *run_name;
    RETURN_IF_ERROR(sqlite::WriteRunInfo(conn, info));
    if (rename) {
      RETURN_IF_ERROR(sqlite::UpsertRunTag(conn, run_id, {kRunNameTag, *run_name}));
    }
    return info;
  });
}

absl::Status SqliteStore::SetRunLifecycle(const std::string& run_id, LifecycleStage stage,
                                          int64_t now_ms) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    RETURN_IF_ERROR(sqlite::ReadRunInfo(conn, run_id).status());
    std::optional<int64_t> deleted_time;
    if (stage == LifecycleStage::kDeleted) deleted_time = now_ms;
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("UPDATE runs SET lifecycle_stage = ?, deleted_time = ? "
                                  "WHERE run_uuid = ?"));
    return st.BindText(LifecycleStageName(stage))
        .BindOptionalInt(deleted_time)
        .BindText(run_id)
        .Run();
  });
}

absl::Status SqliteStore::DeleteRunTag(const std::string& run_id, const std::string& key) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(RunInfo info, sqlite::ReadRunInfo(conn, run_id));
    RETURN_IF_ERROR(sqlite::CheckRunActive(info));
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("DELETE FROM tags WHERE run_uuid = ? AND key = ?"));
    RETURN_IF_ERROR(st.BindText(run_id).BindText(key).Run());
    if (conn.Changes() == 0) {
      return absl::NotFoundError("No tag with name: " + key + " in run with id " + run_id);
    }
    return absl::OkStatus();
  });
}

}  // namespace ferry::store::sqlite
