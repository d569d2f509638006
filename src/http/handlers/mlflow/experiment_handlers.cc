// MLflow experiments/* endpoints.

#include "http/handlers/handler_util.h"
#include "http/handlers/mlflow/tracking_handlers.h"
#include "http/handlers/mlflow/tracking_json.h"

namespace ferry::http {
namespace {

// In the request's workspace (HttpRequest::workspace, `default` without --enable-workspaces).
absl::Status CreateExperiment(tracking::TrackingService& t, const HttpRequest& req,
                              const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(auto location, a.String("artifact_location"));
  ASSIGN_OR_RETURN(auto tag_items, a.ObjectList("tags"));
  ASSIGN_OR_RETURN(auto tags, ParseKeyValues(tag_items, "tags", true));
  ASSIGN_OR_RETURN(std::string id,
                   t.CreateExperiment(name, location.value_or(""), tags, req.workspace));
  w.Field("experiment_id", id);
  return absl::OkStatus();
}

absl::Status GetExperiment(tracking::TrackingService& t, const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
  ASSIGN_OR_RETURN(Experiment e, t.GetExperiment(id));
  w.Key("experiment");
  WriteExperiment(w, e);
  return absl::OkStatus();
}

absl::Status GetExperimentByName(tracking::TrackingService& t, const HttpRequest& req,
                                 const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("experiment_name"));
  ASSIGN_OR_RETURN(Experiment e, t.GetExperimentByName(name, req.workspace));
  w.Key("experiment");
  WriteExperiment(w, e);
  return absl::OkStatus();
}

absl::Status SearchExperiments(tracking::TrackingService& t, const HttpRequest& req,
                               const RequestArgs& a, JsonWriter& w) {
  tracking::SearchExperimentsRequest r;
  r.scope = req.experiment_scope;
  ASSIGN_OR_RETURN(r.max_results, a.Int64("max_results"));
  ASSIGN_OR_RETURN(auto filter, a.String("filter"));
  ASSIGN_OR_RETURN(auto token, a.String("page_token"));
  ASSIGN_OR_RETURN(r.order_by, a.StringList("order_by"));
  ASSIGN_OR_RETURN(r.view_type, ReadViewType(a, "view_type"));
  r.filter = filter.value_or("");
  r.page_token = token.value_or("");
  ASSIGN_OR_RETURN(auto result, t.SearchExperiments(r));
  if (!result.items.empty()) {
    w.Key("experiments").BeginArray();
    for (const auto& e : result.items) WriteExperiment(w, e);
    w.EndArray();
  }
  if (!result.next_page_token.empty()) w.Field("next_page_token", result.next_page_token);
  return absl::OkStatus();
}

absl::Status UpdateExperiment(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("new_name"));
  return t.RenameExperiment(id, name);
}

absl::Status DeleteExperiment(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
  return t.DeleteExperiment(id);
}

absl::Status RestoreExperiment(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
  return t.RestoreExperiment(id);
}

absl::Status SetExperimentTag(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
  ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
  ASSIGN_OR_RETURN(std::string value, a.RequiredString("value"));
  return t.SetExperimentTag(id, {key, value});
}

}  // namespace

void RegisterExperimentRoutes(Router& router, tracking::TrackingService& t) {
  const std::string p = "/mlflow/experiments/";
  AddMlflowRoute(router, "POST", p + "create", BindRequest(t, CreateExperiment));
  AddMlflowRoute(router, "GET", p + "get", Bind(t, GetExperiment));
  AddMlflowRoute(router, "GET", p + "get-by-name", BindRequest(t, GetExperimentByName));
  AddMlflowRoute(router, "POST", p + "search", BindRequest(t, SearchExperiments));
  AddMlflowRoute(router, "GET", p + "search", BindRequest(t, SearchExperiments));
  AddMlflowRoute(router, "POST", p + "update", Bind(t, UpdateExperiment));
  AddMlflowRoute(router, "POST", p + "delete", Bind(t, DeleteExperiment));
  AddMlflowRoute(router, "POST", p + "restore", Bind(t, RestoreExperiment));
  AddMlflowRoute(router, "POST", p + "set-experiment-tag", Bind(t, SetExperimentTag));
  // Compatibility with older clients: experiments/list was removed in MLflow 2.0 but the npm
  // `mlflow` package still calls it, and builds set-experiment-tag's path without a slash.
  AddMlflowRoute(router, "GET", p + "list", BindRequest(t, SearchExperiments));
  AddMlflowRoute(router, "POST", "/mlflow/experimentsset-experiment-tag",
                 Bind(t, SetExperimentTag));
}

}  // namespace ferry::http
