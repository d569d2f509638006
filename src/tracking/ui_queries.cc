// TrackingService's queries for MLflow's web UI routes: metric histories of many runs at
// once (whole, or sampled by step for charts) and the datasets an experiment's runs used.
// Limits and messages are MLflow 2.12.2's (server/handlers.py).

#include <algorithm>
#include <string>

#include "common/strings.h"
#include "tracking/metric_buckets.h"
#include "tracking/metric_sampling.h"
#include "tracking/tracking_service.h"

namespace ferry::tracking {
namespace {

constexpr int64_t kMaxBulkRunIds = 100;
constexpr int64_t kMaxBulkResults = 25000;
constexpr int64_t kMaxIntervalResultsPerRun = 2500;
constexpr int64_t kMaxDatasetExperiments = 20;
constexpr int64_t kMaxDatasetSummaries = 1000;
constexpr char kSeeDocs[] = " See the API docs for more information about request parameters.";

absl::Status CheckIntervalSteps(const MetricIntervalRequest& r) {
  if (r.start_step.has_value() != r.end_step.has_value()) {
    return absl::InvalidArgumentError(
        "If either start step or end step are specified, both must be specified.");
  }
  if (r.start_step && *r.start_step > *r.end_step) {
    return absl::InvalidArgumentError(
        "end_step must be greater than start_step. Found start_step=" +
        std::to_string(*r.start_step) + " and end_step=" + std::to_string(*r.end_step) + ".");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckIntervalRunIdCount(size_t count) {
  if (static_cast<int64_t>(count) <= kMaxBulkRunIds) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received " +
      std::to_string(count) + " run_ids." + kSeeDocs);
}

absl::Status CheckIntervalMaxResults(int64_t max_results) {
  if (max_results >= 1 && max_results <= kMaxIntervalResultsPerRun) return absl::OkStatus();
  return absl::InvalidArgumentError(std::string("max_results must be between 1 and 2500.") +
                                    kSeeDocs);
}

absl::StatusOr<std::vector<MetricWithRunId>> TrackingService::GetMetricHistoryBulk(
    const std::vector<std::string>& run_ids, const std::optional<std::string>& metric_key,
    std::optional<int64_t> max_results) {
  if (run_ids.empty()) {
    return absl::InvalidArgumentError(
        "GetMetricHistoryBulk request must specify at least one run_id.");
  }
  if (static_cast<int64_t>(run_ids.size()) > kMaxBulkRunIds) {
    return absl::InvalidArgumentError(
        "GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received " +
        std::to_string(run_ids.size()) + " run_ids.");
  }
  if (!metric_key) {
    return absl::InvalidArgumentError("GetMetricHistoryBulk request must specify a metric_key.");
  }
  const int64_t limit = std::min(max_results.value_or(kMaxBulkResults), kMaxBulkResults);
  // SQLite reads a negative LIMIT as none, then MLflow's [:limit] drops -limit points.
  ASSIGN_OR_RETURN(auto points, store_.GetMetricHistoryBulk(run_ids, *metric_key, limit));
  if (limit < 0) points.resize(points.size() - std::min<size_t>(points.size(), -limit));
  return points;
}

absl::StatusOr<std::vector<MetricWithRunId>> TrackingService::GetMetricHistoryBulkInterval(
    const MetricIntervalRequest& r) {
  RETURN_IF_ERROR(CheckIntervalRunIdCount(r.run_ids.size()));
  RETURN_IF_ERROR(CheckIntervalMaxResults(r.max_results));
  RETURN_IF_ERROR(CheckIntervalSteps(r));
  std::vector<std::vector<int64_t>> steps_per_run;
  steps_per_run.reserve(r.run_ids.size());
  for (const auto& run_id : r.run_ids) {
    ASSIGN_OR_RETURN(auto steps, store_.GetMetricSteps(run_id, r.metric_key));
    steps_per_run.push_back(std::move(steps));
  }
  std::vector<int64_t> steps =
      SelectChartSteps(steps_per_run, r.start_step, r.end_step, r.max_results);
  std::vector<MetricWithRunId> out;
  if (steps.empty()) return out;
  for (const auto& run_id : r.run_ids) {
    ASSIGN_OR_RETURN(auto points,
                     store_.GetMetricsAtSteps(run_id, r.metric_key, steps, kMaxBulkResults));
    for (auto& m : points) out.push_back({run_id, std::move(m)});
  }
  return out;
}

absl::StatusOr<std::vector<DatasetSummary>> TrackingService::SearchDatasets(
    const std::vector<std::string>& experiment_ids) {
  if (experiment_ids.empty()) {
    return absl::InvalidArgumentError(
        "SearchDatasets request must specify at least one experiment_id.");
  }
  if (static_cast<int64_t>(experiment_ids.size()) > kMaxDatasetExperiments) {
    return absl::InvalidArgumentError(
        "SearchDatasets request cannot specify more than 20 experiment_ids. Received " +
        std::to_string(experiment_ids.size()) + " experiment_ids.");
  }
  // Experiment ids are integers in the database; other text matches nothing, as in MLflow.
  std::vector<int64_t> ids;
  for (const auto& id : experiment_ids) {
    if (auto n = ParseInt64(id)) ids.push_back(*n);
  }
  if (ids.empty()) return std::vector<DatasetSummary>{};
  return store_.SearchDatasetSummaries(ids, kMaxDatasetSummaries);
}

absl::StatusOr<std::vector<MetricExtremes>> TrackingService::GetMetricExtremes(
    const std::vector<std::string>& run_ids, const std::vector<std::string>& keys) {
  if (run_ids.empty() || run_ids.size() > static_cast<size_t>(kMaxBucketRuns)) {
    return absl::InvalidArgumentError("metric extremes: give 1 to " +
                                      std::to_string(kMaxBucketRuns) + " run_ids, got " +
                                      std::to_string(run_ids.size()));
  }
  if (keys.empty() || keys.size() > 100) {
    return absl::InvalidArgumentError("metric extremes: give 1 to 100 keys, got " +
                                      std::to_string(keys.size()));
  }
  return store_.GetMetricExtremes(run_ids, keys);
}

}  // namespace ferry::tracking
