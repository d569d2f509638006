// Loading runs: RunInfo by id, and full runs for a list of ids in a fixed number of queries
// (one per table, whatever the list length), never one query per run.

#include <cmath>
#include <limits>
#include <unordered_map>

#include "store/sqlite/sqlite_internal.h"

namespace ferry::store::sqlite {
namespace {

constexpr char kRunColumns[] =
    "SELECT run_uuid, name, experiment_id, user_id, status, start_time, end_time, "
    "artifact_uri, lifecycle_stage FROM runs ";
constexpr char kIdsIn[] = " IN (SELECT value FROM json_each(?))";

RunInfo RunInfoFromRow(const Statement& st) {
  RunInfo info;
  info.run_id = st.Text(0);
  info.run_name = st.Text(1);
  info.experiment_id = std::to_string(st.Int(2));
  info.user_id = st.Text(3);
  info.status = ParseRunStatus(st.Text(4)).value_or(RunStatus::kRunning);
  info.start_time = st.Int(5);
  info.end_time = st.OptionalInt(6);
  info.artifact_uri = st.Text(7);
  info.lifecycle_stage = ParseLifecycleStage(st.Text(8));
  return info;
}

// Runs `sql` with `ids_json` bound to its only parameter and calls `fn(run, statement)` for
// each row whose first column is the id of a run in `by_id`.
template <typename Fn>
absl::Status ForEachRunRow(Connection& conn, const std::string& sql, const std::string& ids_json,
                           std::unordered_map<std::string, Run*>& by_id, Fn&& fn) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(sql));
  st.BindText(ids_json);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::OkStatus();
    auto it = by_id.find(st.Text(0));
    if (it != by_id.end()) fn(*it->second, st);
  }
}

absl::Status ReadRunData(Connection& conn, const std::string& ids_json,
                         std::unordered_map<std::string, Run*>& by_id) {
  RETURN_IF_ERROR(ForEachRunRow(
      conn,
      std::string("SELECT run_uuid, key, value, timestamp, step, is_nan FROM latest_metrics "
                  "WHERE run_uuid") +
          kIdsIn + " ORDER BY run_uuid, key",
      ids_json, by_id, [](Run& run, const Statement& st) {
        double value = st.Int(5) ? std::numeric_limits<double>::quiet_NaN() : st.Double(2);
        run.data.metrics.push_back({st.Text(1), value, st.Int(3), st.Int(4)});
      }));
  RETURN_IF_ERROR(
      ForEachRunRow(conn,
                    std::string("SELECT run_uuid, key, value FROM params WHERE run_uuid") + kIdsIn +
                        " ORDER BY run_uuid, key",
                    ids_json, by_id, [](Run& run, const Statement& st) {
                      run.data.params.push_back({st.Text(1), st.Text(2)});
                    }));
  return ForEachRunRow(conn,
                       std::string("SELECT run_uuid, key, value FROM tags WHERE run_uuid") +
                           kIdsIn + " ORDER BY run_uuid, key",
                       ids_json, by_id, [](Run& run, const Statement& st) {
                         run.data.tags.push_back({st.Text(1), st.Text(2)});
                       });
}

// Dataset inputs and their tags, in the order they were logged.
absl::Status ReadRunInputs(Connection& conn, const std::string& ids_json,
                           std::unordered_map<std::string, Run*>& by_id) {
  // input_uuid -> (run, index in run.inputs); indexes survive the vectors growing.
  std::unordered_map<std::string, std::pair<Run*, size_t>> inputs;
  RETURN_IF_ERROR(ForEachRunRow(
      conn,
      std::string("SELECT i.destination_id, i.input_uuid, d.name, d.digest, d.source_type, "
                  "d.source, d.schema, d.profile FROM inputs i JOIN datasets d "
                  "ON d.dataset_uuid = i.source_id WHERE i.source_type = 'DATASET' AND "
                  "i.destination_type = 'RUN' AND i.destination_id") +
          kIdsIn + " ORDER BY i.destination_id, i.rowid",
      ids_json, by_id, [&inputs](Run& run, const Statement& st) {
        DatasetInput& in = run.inputs.emplace_back();
        in.dataset = {st.Text(2), st.Text(3),         st.Text(4),
                      st.Text(5), st.OptionalText(6), st.OptionalText(7)};
        inputs[st.Text(1)] = {&run, run.inputs.size() - 1};
      }));
  if (inputs.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare(std::string("SELECT input_uuid, name, value FROM input_tags WHERE "
                                            "input_uuid IN (SELECT input_uuid FROM inputs WHERE "
                                            "destination_type = 'RUN' AND destination_id") +
                                kIdsIn + ") ORDER BY input_uuid, name"));
  st.BindText(ids_json);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::OkStatus();
    auto it = inputs.find(st.Text(0));
    if (it == inputs.end()) continue;
    auto [run, index] = it->second;
    run->inputs[index].tags.push_back({st.Text(1), st.Text(2)});
  }
}

}  // namespace

absl::Status CheckRunActive(const RunInfo& info) {
  if (info.lifecycle_stage == LifecycleStage::kActive) return absl::OkStatus();
  return absl::InvalidArgumentError("The run " + info.run_id +
                                    " must be in the 'active' state. Current state is " +
                                    LifecycleStageName(info.lifecycle_stage) + ".");
}

absl::StatusOr<RunInfo> ReadRunInfo(Connection& conn, const std::string& run_id) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(std::string(kRunColumns) + "WHERE run_uuid = ?"));
  st.BindText(run_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return absl::NotFoundError("Run with id=" + run_id + " not found");
  return RunInfoFromRow(st);
}

absl::StatusOr<std::vector<Run>> ReadRuns(Connection& conn,
                                          const std::vector<std::string>& run_ids) {
  std::string ids_json = JsonStringArray(run_ids);
  std::unordered_map<std::string, Run> found;
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare(std::string(kRunColumns) + "WHERE run_uuid" + kIdsIn));
  st.BindText(ids_json);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Run run;
    run.info = RunInfoFromRow(st);
    found.emplace(run.info.run_id, std::move(run));
  }
  std::unordered_map<std::string, Run*> by_id;
  for (auto& [id, run] : found) by_id[id] = &run;
  RETURN_IF_ERROR(ReadRunData(conn, ids_json, by_id));
  RETURN_IF_ERROR(ReadRunInputs(conn, ids_json, by_id));
  std::vector<Run> out;
  out.reserve(found.size());
  for (const std::string& id : run_ids) {
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    out.push_back(std::move(*it->second));
    by_id.erase(it);  // a repeated id yields the run once
  }
  return out;
}

absl::Status UpsertRunTag(Connection& conn, const std::string& run_id, const RunTag& tag) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("INSERT INTO tags (run_uuid, key, value) "
                                              "VALUES (?, ?, ?) ON CONFLICT (run_uuid, key) "
                                              "DO UPDATE SET value = excluded.value"));
  return st.BindText(run_id).BindText(tag.key).BindText(tag.value).Run();
}

}  // namespace ferry::store::sqlite
