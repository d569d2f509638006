#pragma once
// Tracking metadata persistence. One interface, chosen by URI (SQLite now, PostgreSQL
// later); services in tracking/ depend only on this header.
//
// Implementations are safe for concurrent use from many threads. Each method is one
// transaction unless stated otherwise. Errors use canonical codes with MLflow's messages:
//   kNotFound        the experiment / run / tag does not exist
//   kAlreadyExists   an experiment with that name exists
//   kInvalidArgument state rule broken (run or experiment not active, param value change)
//   kUnavailable     the database could not be reached or stayed locked

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/search/search.h"
#include "core/tracking_types.h"
#include "core/workspace.h"

namespace ferry::store {

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // ---- experiments ----
  // Creates an experiment in `workspace` (core/workspace.h; the caller checked that it exists).
  // If `artifact_location` is empty it becomes `artifact_root + "/" + <new id>`. Returns the
  // new id. kAlreadyExists on a name clash within the workspace (also with deleted
  // experiments, as MLflow).
  virtual absl::StatusOr<std::string> CreateExperimentIn(
      std::string_view workspace, const std::string& name, const std::string& artifact_location,
      const std::string& artifact_root, const std::vector<ExperimentTag>& tags, int64_t now_ms) = 0;
  absl::StatusOr<std::string> CreateExperiment(const std::string& name,
                                               const std::string& artifact_location,
                                               const std::string& artifact_root,
                                               const std::vector<ExperimentTag>& tags,
                                               int64_t now_ms) {
    return CreateExperimentIn(kDefaultWorkspace, name, artifact_location, artifact_root, tags,
                              now_ms);
  }
  // By id, in any workspace (Experiment::workspace says which; the access check compares it).
  virtual absl::StatusOr<Experiment> GetExperiment(const std::string& id) = 0;
  virtual absl::StatusOr<Experiment> GetExperimentByNameIn(std::string_view workspace,
                                                           const std::string& name) = 0;
  absl::StatusOr<Experiment> GetExperimentByName(const std::string& name) {
    return GetExperimentByNameIn(kDefaultWorkspace, name);
  }
  // Searches stay in `q.scope.workspace` when it is set.
  virtual absl::StatusOr<Page<Experiment>> SearchExperiments(const ExperimentSearchQuery& q) = 0;
  virtual absl::Status RenameExperiment(const std::string& id, const std::string& new_name,
                                        int64_t now_ms) = 0;
  // Soft delete / restore; the experiment's runs follow.
  virtual absl::Status SetExperimentLifecycle(const std::string& id, LifecycleStage stage,
                                              int64_t now_ms) = 0;
  // Upserts a tag. kInvalidArgument if the experiment is deleted.
  virtual absl::Status SetExperimentTag(const std::string& id, const ExperimentTag& tag) = 0;

  // ---- runs ----
  // Inserts a run whose id, name, artifact_uri and times are already filled in.
  // kNotFound if the experiment is missing, kInvalidArgument if it is deleted.
  virtual absl::Status CreateRun(const RunInfo& info, const std::vector<RunTag>& tags) = 0;
  virtual absl::StatusOr<Run> GetRun(const std::string& run_id) = 0;
  // Updates the given fields and returns the new RunInfo. A new run_name also updates the
  // mlflow.runName tag.
  virtual absl::StatusOr<RunInfo> UpdateRun(const std::string& run_id,
                                            std::optional<RunStatus> status,
                                            std::optional<int64_t> end_time,
                                            std::optional<std::string> run_name) = 0;
  virtual absl::Status SetRunLifecycle(const std::string& run_id, LifecycleStage stage,
                                       int64_t now_ms) = 0;
  // Writes params, then metrics, then tags, atomically. Rejects (kInvalidArgument) a param
  // whose stored value differs, and writes to a non-active run. Identical metric rows are
  // deduplicated. A tag mlflow.runName renames the run.
  virtual absl::Status LogBatch(const std::string& run_id, const std::vector<Metric>& metrics,
                                const std::vector<Param>& params,
                                const std::vector<RunTag>& tags) = 0;
  // kNotFound if the run has no such tag.
  virtual absl::Status DeleteRunTag(const std::string& run_id, const std::string& key) = 0;
  // Records dataset inputs; datasets are deduplicated by (experiment, name, digest).
  virtual absl::Status LogInputs(const std::string& run_id,
                                 const std::vector<DatasetInput>& inputs) = 0;
  virtual absl::StatusOr<Page<Run>> SearchRuns(const RunSearchQuery& q) = 0;
  // All points of one metric ordered by (timestamp, step, value); `max_results` <= 0 means
  // all from `offset`.
  virtual absl::StatusOr<Page<Metric>> GetMetricHistory(const std::string& run_id,
                                                        const std::string& key, int64_t max_results,
                                                        int64_t offset) = 0;
  // Points of `key` in any of `run_ids` ordered by (run_id, timestamp, step, value), at most
  // `limit` of them (< 0: all). Runs that do not exist contribute nothing.
  virtual absl::StatusOr<std::vector<MetricWithRunId>> GetMetricHistoryBulk(
      const std::vector<std::string>& run_ids, const std::string& key, int64_t limit) = 0;
  // Points of `key` in `run_id` with a step after `after_step`, ordered by (step, timestamp,
  // value), at most `limit` of them (< 0: all); a range scan of the (run, key, step) index,
  // for a live chart that holds the points up to `after_step`.
  virtual absl::StatusOr<std::vector<Metric>> GetMetricsAfterStep(const std::string& run_id,
                                                                  const std::string& key,
                                                                  int64_t after_step,
                                                                  int64_t limit) = 0;
  // The distinct steps of `key` in run `run_id`, ascending (empty if none or no such run).
  virtual absl::StatusOr<std::vector<int64_t>> GetMetricSteps(const std::string& run_id,
                                                              const std::string& key) = 0;
  // Points of `key` in `run_id` whose step is one of `steps`, ordered by (step, timestamp,
  // value), at most `limit` of them.
  virtual absl::StatusOr<std::vector<Metric>> GetMetricsAtSteps(const std::string& run_id,
                                                                const std::string& key,
                                                                const std::vector<int64_t>& steps,
                                                                int64_t limit) = 0;
  // Min and max of each of `keys` in each of `run_ids` that logged it (non-NaN points only),
  // ordered by run id and key.
  virtual absl::StatusOr<std::vector<MetricExtremes>> GetMetricExtremes(
      const std::vector<std::string>& run_ids, const std::vector<std::string>& keys) = 0;
  // The distinct (experiment, dataset name, digest, context tag) of the datasets logged as run
  // inputs in `experiment_ids`, at most `limit` of them, ordered by experiment, name, digest
  // and context (no context first).
  virtual absl::StatusOr<std::vector<DatasetSummary>> SearchDatasetSummaries(
      const std::vector<int64_t>& experiment_ids, int64_t limit) = 0;
};

using MetadataStorePtr = std::unique_ptr<MetadataStore>;

}  // namespace ferry::store
