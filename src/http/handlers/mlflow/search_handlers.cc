// MLflow runs/search and metrics/get-history; Ferry's runs/children (runs/search over the
// children of some runs, for the UI's nested runs).

#include "http/handlers/handler_util.h"
#include "http/handlers/mlflow/tracking_handlers.h"
#include "http/handlers/mlflow/tracking_json.h"

namespace ferry::http {
namespace {

absl::StatusOr<tracking::SearchRunsRequest> ReadSearch(const RequestArgs& a) {
  tracking::SearchRunsRequest r;
  ASSIGN_OR_RETURN(r.experiment_ids, a.StringList("experiment_ids"));
  ASSIGN_OR_RETURN(auto filter, a.String("filter"));
  ASSIGN_OR_RETURN(r.order_by, a.StringList("order_by"));
  ASSIGN_OR_RETURN(r.view_type, ReadViewType(a, "run_view_type"));
  ASSIGN_OR_RETURN(r.max_results, a.Int64("max_results"));
  ASSIGN_OR_RETURN(auto token, a.String("page_token"));
  r.filter = filter.value_or("");
  r.page_token = token.value_or("");
  return r;
}

absl::Status WriteRuns(tracking::TrackingService& t, const tracking::SearchRunsRequest& r,
                       JsonWriter& w) {
  ASSIGN_OR_RETURN(auto result, t.SearchRuns(r));
  if (!result.items.empty()) {
    w.Key("runs").BeginArray();
    for (const auto& run : result.items) WriteRun(w, run);
    w.EndArray();
  }
  if (!result.next_page_token.empty()) w.Field("next_page_token", result.next_page_token);
  return absl::OkStatus();
}

absl::Status SearchRuns(tracking::TrackingService& t, const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(auto r, ReadSearch(a));
  return WriteRuns(t, r, w);
}

// Ferry's runs/children: runs/search over the children of parent_run_ids (1-1000).
absl::Status SearchChildRuns(tracking::TrackingService& t, const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(auto r, ReadSearch(a));
  ASSIGN_OR_RETURN(r.parent_run_ids, a.StringList("parent_run_ids"));
  if (r.parent_run_ids.empty()) {
    return absl::InvalidArgumentError("runs/children: give 1 to 1000 parent_run_ids");
  }
  return WriteRuns(t, r, w);
}

absl::Status GetMetricHistory(tracking::TrackingService& t, const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string run_id, a.RunId());
  ASSIGN_OR_RETURN(std::string key, a.RequiredString("metric_key"));
  ASSIGN_OR_RETURN(auto max_results, a.Int64("max_results"));
  ASSIGN_OR_RETURN(auto token, a.String("page_token"));
  ASSIGN_OR_RETURN(auto result, t.GetMetricHistory(run_id, key, max_results, token.value_or("")));
  if (!result.items.empty()) {
    w.Key("metrics").BeginArray();
    for (const auto& m : result.items) WriteMetric(w, m);
    w.EndArray();
  }
  if (!result.next_page_token.empty()) w.Field("next_page_token", result.next_page_token);
  return absl::OkStatus();
}

}  // namespace

void RegisterSearchRoutes(Router& router, tracking::TrackingService& t) {
  AddMlflowRoute(router, "POST", "/mlflow/runs/search", Bind(t, SearchRuns));
  router.Add("POST", "/api/ferry/v1/runs/children", Bind(t, SearchChildRuns));
  AddMlflowRoute(router, "GET", "/mlflow/metrics/get-history", Bind(t, GetMetricHistory));
}

}  // namespace ferry::http
