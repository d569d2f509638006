// MLflow runs/* write and read endpoints (search lives in search_handlers.cc).

#include "http/handlers/handler_util.h"
#include "http/handlers/mlflow/tracking_handlers.h"
#include "http/handlers/mlflow/tracking_json.h"

namespace ferry::http {
namespace {

absl::Status CreateRun(tracking::TrackingService& t, const RequestArgs& a, JsonWriter& w) {
  tracking::CreateRunRequest r;
  ASSIGN_OR_RETURN(auto exp, a.String("experiment_id"));
  ASSIGN_OR_RETURN(auto user, a.String("user_id"));
  ASSIGN_OR_RETURN(auto name, a.String("run_name"));
  ASSIGN_OR_RETURN(r.start_time, a.Int64("start_time"));
  ASSIGN_OR_RETURN(auto tag_items, a.ObjectList("tags"));
  ASSIGN_OR_RETURN(r.tags, ParseKeyValues(tag_items, "tags", false));
  r.experiment_id = exp.value_or("");
  r.user_id = user.value_or("");
  r.run_name = name.value_or("");
  ASSIGN_OR_RETURN(Run run, t.CreateRun(r));
  w.Key("run");
  WriteRun(w, run);
  return absl::OkStatus();
}

absl::Status GetRun(tracking::TrackingService& t, const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string id, a.RunId());
  ASSIGN_OR_RETURN(Run run, t.GetRun(id));
  w.Key("run");
  WriteRun(w, run);
  return absl::OkStatus();
}

absl::Status UpdateRun(tracking::TrackingService& t, const RequestArgs& a, JsonWriter& w) {
  tracking::UpdateRunRequest r;
  ASSIGN_OR_RETURN(r.run_id, a.RunId());
  ASSIGN_OR_RETURN(auto status, a.String("status"));
  if (status) {
    r.status = ParseRunStatus(*status);
    if (!r.status) return InvalidParam("status", JsonValue::String(*status));
  }
  ASSIGN_OR_RETURN(r.end_time, a.Int64("end_time"));
  ASSIGN_OR_RETURN(r.run_name, a.String("run_name"));
  ASSIGN_OR_RETURN(RunInfo info, t.UpdateRun(r));
  w.Key("run_info");
  WriteRunInfo(w, info);
  return absl::OkStatus();
}

absl::Status DeleteRun(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RunId());
  return t.DeleteRun(id);
}

absl::Status RestoreRun(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RunId());
  return t.RestoreRun(id);
}

absl::Status LogMetric(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RunId());
  ASSIGN_OR_RETURN(Metric m, ParseMetric(a.body()));
  return t.LogMetric(id, m);
}

absl::Status LogParam(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RunId());
  ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
  ASSIGN_OR_RETURN(std::string value, a.RequiredString("value"));
  return t.LogParam(id, {key, value});
}

absl::Status SetTag(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RunId());
  ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
  ASSIGN_OR_RETURN(std::string value, a.RequiredString("value"));
  return t.SetTag(id, {key, value});
}

absl::Status DeleteTag(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RunId());
  ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
  return t.DeleteTag(id, key);
}

absl::Status LogBatch(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RunId());
  ASSIGN_OR_RETURN(auto metric_items, a.ObjectList("metrics"));
  ASSIGN_OR_RETURN(auto param_items, a.ObjectList("params"));
  ASSIGN_OR_RETURN(auto tag_items, a.ObjectList("tags"));
  std::vector<Metric> metrics;
  metrics.reserve(metric_items.size());
  for (const JsonValue* item : metric_items) {
    ASSIGN_OR_RETURN(Metric m, ParseMetric(*item));
    metrics.push_back(std::move(m));
  }
  ASSIGN_OR_RETURN(auto params, ParseKeyValues(param_items, "params", true));
  ASSIGN_OR_RETURN(auto tags, ParseKeyValues(tag_items, "tags", true));
  return t.LogBatch(id, std::move(metrics), std::move(params), std::move(tags));
}

absl::Status LogInputs(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RunId());
  ASSIGN_OR_RETURN(auto items, a.ObjectList("datasets"));
  ASSIGN_OR_RETURN(auto inputs, ParseDatasetInputs(items));
  return t.LogInputs(id, inputs);
}

absl::Status LogModel(tracking::TrackingService& t, const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string id, a.RunId());
  ASSIGN_OR_RETURN(std::string model_json, a.RequiredString("model_json"));
  return t.AppendLoggedModel(id, model_json);
}

}  // namespace

void RegisterRunRoutes(Router& router, tracking::TrackingService& t) {
  const std::string p = "/mlflow/runs/";
  AddMlflowRoute(router, "POST", p + "create", Bind(t, CreateRun));
  AddMlflowRoute(router, "GET", p + "get", Bind(t, GetRun));
  AddMlflowRoute(router, "POST", p + "update", Bind(t, UpdateRun));
  AddMlflowRoute(router, "POST", p + "delete", Bind(t, DeleteRun));
  AddMlflowRoute(router, "POST", p + "restore", Bind(t, RestoreRun));
  AddMlflowRoute(router, "POST", p + "log-metric", Bind(t, LogMetric));
  AddMlflowRoute(router, "POST", p + "log-parameter", Bind(t, LogParam));
  AddMlflowRoute(router, "POST", p + "set-tag", Bind(t, SetTag));
  AddMlflowRoute(router, "POST", p + "delete-tag", Bind(t, DeleteTag));
  AddMlflowRoute(router, "POST", p + "log-batch", Bind(t, LogBatch));
  AddMlflowRoute(router, "POST", p + "log-inputs", Bind(t, LogInputs));
  AddMlflowRoute(router, "POST", p + "log-model", Bind(t, LogModel));
}

}  // namespace ferry::http
