#pragma once
// The tracking rules of MLflow's MlflowService over a MetadataStore: input validation, limits,
// defaults (run names, artifact locations), search parsing and page tokens. Knows nothing of
// HTTP. Thread-safe if the store is.

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "core/paging.h"
#include "core/search/search.h"
#include "core/tracking_types.h"
#include "core/workspace.h"
#include "store/metadata_store.h"

namespace ferry::tracking {

struct CreateRunRequest {
  std::string experiment_id;  // empty: "0"
  std::string user_id;
  std::string run_name;  // empty: generated ("righteous-bee-997")
  std::optional<int64_t> start_time;
  std::vector<RunTag> tags;
};

struct UpdateRunRequest {
  std::string run_id;
  std::optional<RunStatus> status;
  std::optional<int64_t> end_time;
  std::optional<std::string> run_name;
};

struct SearchRunsRequest {
  std::vector<std::string> experiment_ids;
  std::string filter;
  std::vector<std::string> order_by;
  ViewType view_type = ViewType::kActiveOnly;
  std::optional<int64_t> max_results;  // default 1000
  std::string page_token;
  // Ferry's runs/children (the UI's nested runs): only the children of these runs (their
  // mlflow.parentRunId tag), 1 ..= 1000 of them; empty: no such restriction.
  std::vector<std::string> parent_run_ids;
};

struct SearchExperimentsRequest {
  std::string filter;
  std::vector<std::string> order_by;
  ViewType view_type = ViewType::kActiveOnly;
  std::optional<int64_t> max_results;  // default 1000, must be >= 1
  std::string page_token;
  AccessScope scope;  // the experiments the caller may see
};

// metrics/get-history-bulk-interval (the UI's charts). Both steps or neither.
struct MetricIntervalRequest {
  std::vector<std::string> run_ids;
  std::string metric_key;
  std::optional<int64_t> start_step;
  std::optional<int64_t> end_step;
  int64_t max_results = 2500;  // per run, 1..2500
};

// The two limits of metrics/get-history-bulk-interval that MLflow checks while it reads the
// request (kInvalidArgument with its messages); the handler calls them in MLflow's order
// between its own field checks, and the service checks them again.
absl::Status CheckIntervalRunIdCount(size_t count);
absl::Status CheckIntervalMaxResults(int64_t max_results);

class TrackingService {
 public:
  TrackingService(store::MetadataStore& store, Clock& clock, Random& random)
      : store_(store), clock_(clock), random_(random) {}

  // Where new experiments without an artifact_location put their artifacts:
  // <root>/<experiment id>. Default "mlflow-artifacts:" (the artifact proxy), as MLflow's
  // --default-artifact-root with --serve-artifacts.
  void set_default_artifact_root(std::string root) { default_artifact_root_ = std::move(root); }

  // ---- experiments ----
  // Created in, and found by name in, `workspace` (core/workspace.h); by id in any (the
  // access check keeps requests in theirs).
  absl::StatusOr<std::string> CreateExperiment(const std::string& name,
                                               const std::string& artifact_location,
                                               const std::vector<ExperimentTag>& tags,
                                               std::string_view workspace = kDefaultWorkspace);
  absl::StatusOr<Experiment> GetExperiment(const std::string& id);
  absl::StatusOr<Experiment> GetExperimentByName(const std::string& name,
                                                 std::string_view workspace = kDefaultWorkspace);
  absl::StatusOr<SearchResult<Experiment>> SearchExperiments(const SearchExperimentsRequest& r);
  absl::Status RenameExperiment(const std::string& id, const std::string& new_name);
  absl::Status DeleteExperiment(const std::string& id);
  absl::Status RestoreExperiment(const std::string& id);
  absl::Status SetExperimentTag(const std::string& id, const ExperimentTag& tag);

  // ---- runs ----
  absl::StatusOr<Run> CreateRun(const CreateRunRequest& r);
  absl::StatusOr<Run> GetRun(const std::string& run_id);
  absl::StatusOr<RunInfo> UpdateRun(const UpdateRunRequest& r);
  absl::Status DeleteRun(const std::string& run_id);
  absl::Status RestoreRun(const std::string& run_id);
  absl::Status LogMetric(const std::string& run_id, const Metric& metric);
  absl::Status LogParam(const std::string& run_id, const Param& param);
  absl::Status SetTag(const std::string& run_id, const RunTag& tag);
  absl::Status DeleteTag(const std::string& run_id, const std::string& key);
  // Validates limits (<= 1000 metrics, 100 params, 100 tags, 1000 in all), keys, and
  // duplicate param keys; truncates over-long param and tag values as MLflow 2.12 does.
  absl::Status LogBatch(const std::string& run_id, std::vector<Metric> metrics,
                        std::vector<Param> params, std::vector<RunTag> tags);
  absl::Status LogInputs(const std::string& run_id, const std::vector<DatasetInput>& inputs);
  // Appends `model_json` (an MLmodel as JSON) to the run's mlflow.log-model.history tag.
  absl::Status AppendLoggedModel(const std::string& run_id, const std::string& model_json);
  absl::StatusOr<SearchResult<Run>> SearchRuns(const SearchRunsRequest& r);
  absl::StatusOr<SearchResult<Metric>> GetMetricHistory(const std::string& run_id,
                                                        const std::string& key,
                                                        std::optional<int64_t> max_results,
                                                        const std::string& page_token);

  // The points of `key` in `run_id` with a step after `after_step` (a live chart's new points),
  // ordered by step. Errors as GetMetricHistory's for the run.
  absl::StatusOr<std::vector<Metric>> GetMetricsAfterStep(const std::string& run_id,
                                                          const std::string& key,
                                                          int64_t after_step);

  // ---- the web UI's routes (ui_queries.cc), with MLflow 2.12.2's limits and messages ----
  // metrics/get-history-bulk: 1..100 run ids (unknown ones contribute nothing), a metric key,
  // max_results default and cap 25,000 (a negative one drops that many points from the end,
  // as MLflow on SQLite does). Ordered by run id, timestamp, step, value. kInvalidArgument
  // otherwise.
  absl::StatusOr<std::vector<MetricWithRunId>> GetMetricHistoryBulk(
      const std::vector<std::string>& run_ids, const std::optional<std::string>& metric_key,
      std::optional<int64_t> max_results);
  // metrics/get-history-bulk-interval: the points at the steps SelectChartSteps picks
  // (metric_sampling.h), for each run id in request order, at most 25,000 per run.
  // kInvalidArgument for more than 100 run ids, max_results outside 1..2500, one step bound
  // without the other, or start_step > end_step.
  absl::StatusOr<std::vector<MetricWithRunId>> GetMetricHistoryBulkInterval(
      const MetricIntervalRequest& r);
  // Ferry's runs table (min and max columns, ui_queries.cc): 1..1000 run ids and 1..100 keys, else
  // kInvalidArgument; runs or keys without points contribute nothing.
  absl::StatusOr<std::vector<MetricExtremes>> GetMetricExtremes(
      const std::vector<std::string>& run_ids, const std::vector<std::string>& keys);
  // experiments/search-datasets: 1..20 experiment ids; at most 1,000 summaries.
  absl::StatusOr<std::vector<DatasetSummary>> SearchDatasets(
      const std::vector<std::string>& experiment_ids);

 private:
  store::MetadataStore& store_;
  Clock& clock_;
  Random& random_;
  std::string default_artifact_root_ = "mlflow-artifacts:";
};

// "adjective-noun-NNN", MLflow's naming scheme for unnamed runs.
std::string GenerateRunName(Random& random);

}  // namespace ferry::tracking
