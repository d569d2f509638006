// The web UI's metric and dataset routes: metrics/get-history-bulk (the legacy metric page),
// metrics/get-history-bulk-interval (charts) and experiments/search-datasets (the dataset
// filter). Fields are checked in MLflow 2.12.2's order; the limits live in TrackingService.

#include "http/handlers/handler_util.h"
#include "http/handlers/mlflow/ui_handlers.h"

namespace ferry::http {
namespace {

void WriteMetricWithRunId(JsonWriter& w, const MetricWithRunId& m) {
  w.BeginObject()
      .Field("key", m.metric.key)
      .FieldDouble("value", m.metric.value)
      .Field("timestamp", m.metric.timestamp)
      .Field("step", m.metric.step)
      .Field("run_id", m.run_id)
      .EndObject();
}

// MLflow answers a plain dict here, so "metrics" is present even when empty.
absl::Status GetHistoryBulk(tracking::TrackingService& t, const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(auto run_ids, a.StringList("run_id"));
  ASSIGN_OR_RETURN(auto key, a.String("metric_key"));
  ASSIGN_OR_RETURN(auto max_results, a.Int64("max_results"));
  ASSIGN_OR_RETURN(auto points, t.GetMetricHistoryBulk(run_ids, key, max_results));
  w.Key("metrics").BeginArray();
  for (const auto& m : points) WriteMetricWithRunId(w, m);
  w.EndArray();
  return absl::OkStatus();
}

// A protobuf response: an empty "metrics" is left out.
absl::Status GetHistoryBulkInterval(tracking::TrackingService& t, const RequestArgs& a,
                                    JsonWriter& w) {
  tracking::MetricIntervalRequest r;
  if (a.body().Find("run_ids") == nullptr) return MissingParam("run_ids");
  ASSIGN_OR_RETURN(r.run_ids, a.StringList("run_ids"));
  RETURN_IF_ERROR(tracking::CheckIntervalRunIdCount(r.run_ids.size()));
  ASSIGN_OR_RETURN(auto key, a.String("metric_key"));
  if (!key || key->empty()) return MissingParam("metric_key");
  r.metric_key = *key;
  ASSIGN_OR_RETURN(r.start_step, a.Int64("start_step"));
  ASSIGN_OR_RETURN(r.end_step, a.Int64("end_step"));
  ASSIGN_OR_RETURN(auto max_results, a.Int64("max_results"));
  if (max_results) {
    RETURN_IF_ERROR(tracking::CheckIntervalMaxResults(*max_results));
    r.max_results = *max_results;
  }
  ASSIGN_OR_RETURN(auto points, t.GetMetricHistoryBulkInterval(r));
  if (!points.empty()) {
    w.Key("metrics").BeginArray();
    for (const auto& m : points) WriteMetricWithRunId(w, m);
    w.EndArray();
  }
  return absl::OkStatus();
}

// A plain dict in MLflow: "dataset_summaries" always present, "context" null when untagged.
absl::Status SearchDatasets(tracking::TrackingService& t, const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(auto experiment_ids, a.StringList("experiment_ids"));
  ASSIGN_OR_RETURN(auto summaries, t.SearchDatasets(experiment_ids));
  w.Key("dataset_summaries").BeginArray();
  for (const auto& d : summaries) {
    w.BeginObject()
        .Field("experiment_id", d.experiment_id)
        .Field("name", d.name)
        .Field("digest", d.digest);
    w.Key("context");
    if (d.context) {
      w.String(*d.context);
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
  return absl::OkStatus();
}

}  // namespace

void RegisterUiMetricRoutes(Router& router, tracking::TrackingService& t) {
  router.Add("GET", "/ajax-api/2.0/mlflow/metrics/get-history-bulk", Bind(t, GetHistoryBulk));
  // In MLflow's service.proto, so under /api/2.0 as well.
  AddMlflowRoute(router, "GET", "/mlflow/metrics/get-history-bulk-interval",
                 Bind(t, GetHistoryBulkInterval));
  router.Add("POST", "/ajax-api/2.0/mlflow/experiments/search-datasets", Bind(t, SearchDatasets));
}

}  // namespace ferry::http
