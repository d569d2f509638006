#pragma once
// Row-level helpers shared by SqliteStore's .cc files. Each runs inside the caller's
// transaction on the given connection and returns MLflow's messages on failure.

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/tracking_types.h"
#include "store/sqlite/sqlite_db.h"

namespace ferry::store::sqlite {

// "active" -> kActive, anything else -> kDeleted.
LifecycleStage ParseLifecycleStage(const std::string& s);

// kNotFound "No Experiment with id=<id> exists".
absl::Status ExperimentNotFound(const std::string& id);
// kInvalidArgument "The experiment <id> must be in the 'active' state. Current state is ...".
absl::Status CheckExperimentActive(const std::string& id, LifecycleStage stage);
// kInvalidArgument "The run <id> must be in the 'active' state. Current state is deleted."
absl::Status CheckRunActive(const RunInfo& info);

// The experiment with decimal id `id`, with its tags. kNotFound as ExperimentNotFound.
absl::StatusOr<Experiment> ReadExperiment(Connection& conn, const std::string& id);
// Experiments (with tags) in the order of `ids`; ids that do not exist are skipped.
absl::StatusOr<std::vector<Experiment>> ReadExperiments(Connection& conn,
                                                        const std::vector<int64_t>& ids);

// The run's info. kNotFound "Run with id=<id> not found".
absl::StatusOr<RunInfo> ReadRunInfo(Connection& conn, const std::string& run_id);
// Full runs (info, latest metrics, params, tags, inputs) in the order of `run_ids`, loaded
// with one query per table for the whole list. Ids that do not exist are skipped.
absl::StatusOr<std::vector<Run>> ReadRuns(Connection& conn,
                                          const std::vector<std::string>& run_ids);

// GetMetricsAfterStep's query (run_uuid, key, after_step, limit), named here so a test can
// check its plan is a range scan of the metrics_run_key_step index.
extern const char kMetricsAfterStepSql[];

// Inserts or replaces a run tag.
absl::Status UpsertRunTag(Connection& conn, const std::string& run_id, const RunTag& tag);

}  // namespace ferry::store::sqlite
