// SqliteStore::LogInputs: datasets (deduplicated per experiment by name and digest) and the
// run inputs that link them to runs, with their input tags; SearchDatasetSummaries reads them
// back per experiment (MLflow's experiments/search-datasets).

#include "common/clock.h"
#include "common/json_writer.h"
#include "common/strings.h"
#include "store/sqlite/sqlite_internal.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

// Returns the id of the dataset (experiment, name, digest), inserting it if new. An existing
// dataset keeps its source, schema and profile, as in MLflow.
absl::StatusOr<std::string> FindOrInsertDataset(Connection& conn, int64_t experiment_id,
                                                const Dataset& d) {
  ASSIGN_OR_RETURN(Statement insert,
                   conn.Prepare("INSERT INTO datasets (dataset_uuid, experiment_id, name, "
                                "digest, source_type, source, schema, profile) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                                "ON CONFLICT (experiment_id, name, digest) DO NOTHING"));
  RETURN_IF_ERROR(insert.BindText(NewUuidHex(SystemRandom()))
                      .BindInt(experiment_id)
                      .BindText(d.name)
                      .BindText(d.digest)
                      .BindText(d.source_type)
                      .BindText(d.source)
                      .BindOptionalText(d.schema)
                      .BindOptionalText(d.profile)
                      .Run());
  ASSIGN_OR_RETURN(Statement find,
                   conn.Prepare("SELECT dataset_uuid FROM datasets WHERE experiment_id = ? "
                                "AND name = ? AND digest = ?"));
  find.BindInt(experiment_id).BindText(d.name).BindText(d.digest);
  ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return absl::InternalError("dataset row vanished inside its own transaction");
  return find.Text(0);
}

// Links dataset -> run unless already linked (then the input and its tags stay as they are).
absl::Status InsertInput(Connection& conn, const std::string& dataset_uuid,
                         const std::string& run_id, const std::vector<InputTag>& tags) {
  std::string input_uuid = NewUuidHex(SystemRandom());
  ASSIGN_OR_RETURN(Statement insert,
                   conn.Prepare("INSERT INTO inputs (input_uuid, source_type, source_id, "
                                "destination_type, destination_id) VALUES (?, 'DATASET', ?, "
                                "'RUN', ?) ON CONFLICT DO NOTHING"));
  RETURN_IF_ERROR(insert.BindText(input_uuid).BindText(dataset_uuid).BindText(run_id).Run());
  if (conn.Changes() == 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(Statement tag, conn.Prepare("INSERT INTO input_tags (input_uuid, name, value) "
                                               "VALUES (?, ?, ?) ON CONFLICT (input_uuid, name) "
                                               "DO UPDATE SET value = excluded.value"));
  for (const InputTag& t : tags) {
    RETURN_IF_ERROR(tag.Reset().BindText(input_uuid).BindText(t.key).BindText(t.value).Run());
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SqliteStore::LogInputs(const std::string& run_id,
                                    const std::vector<DatasetInput>& inputs) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(RunInfo info, sqlite::ReadRunInfo(conn, run_id));
    RETURN_IF_ERROR(sqlite::CheckRunActive(info));
    int64_t experiment_id = *ParseInt64(info.experiment_id);
    for (const DatasetInput& input : inputs) {
      ASSIGN_OR_RETURN(std::string dataset_uuid,
                       sqlite::FindOrInsertDataset(conn, experiment_id, input.dataset));
      RETURN_IF_ERROR(sqlite::InsertInput(conn, dataset_uuid, run_id, input.tags));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<DatasetSummary>> SqliteStore::SearchDatasetSummaries(
    const std::vector<int64_t>& experiment_ids, int64_t limit) {
  std::string ids;
  JsonWriter w(&ids);
  w.BeginArray();
  for (int64_t id : experiment_ids) w.Int(id);
  w.EndArray();
  // A left join: an input without an mlflow.data.context tag still counts, with no context.
  return InReadTransaction(
      [&](sqlite::Connection& conn) -> absl::StatusOr<std::vector<DatasetSummary>> {
        ASSIGN_OR_RETURN(
            Statement st,
            conn.Prepare("SELECT DISTINCT d.experiment_id, d.name, d.digest, t.value "
                         "FROM datasets d JOIN inputs i ON i.source_id = d.dataset_uuid "
                         "LEFT JOIN input_tags t ON t.input_uuid = i.input_uuid "
                         "AND t.name = 'mlflow.data.context' "
                         "WHERE d.experiment_id IN (SELECT value FROM json_each(?)) "
                         "ORDER BY d.experiment_id, d.name, d.digest, t.value LIMIT ?"));
        st.BindText(ids).BindInt(limit);
        std::vector<DatasetSummary> out;
        while (true) {
          ASSIGN_OR_RETURN(bool row, st.Step());
          if (!row) return out;
          out.push_back({std::to_string(st.Int(0)), st.Text(1), st.Text(2), st.OptionalText(3)});
        }
      });
}

}  // namespace ferry::store::sqlite
