// The server's side of `ferry maturity`, all through public APIs: the MLflow registry
// (models, aliases, versions and their ferry.gate / ferry.promotion tags), the MLflow runs
// of pipelines (experiments `pipeline-*`, tag ferry.pipeline.trigger) and live monitoring
// (/api/ferry/v1/monitoring/deployments and their windows).

#include "cli/maturity/gather.h"
#include "cli/mlflow/server_client.h"
#include "common/json.h"
#include "common/status.h"
#include "common/strings.h"
#include "net/http_client.h"

namespace ferry::cli {
namespace {

using net::HttpClient;
using pipeline::maturity::DeploymentFacts;
using pipeline::maturity::ModelFacts;
using pipeline::maturity::PipelineRunFacts;
using pipeline::maturity::ServerFacts;

absl::StatusOr<JsonValue> Get(const HttpClient& http, const std::string& method,
                              const std::string& target, const std::string& body = "") {
  auto r = http.Send(method, target, body);
  if (!r.ok()) return r.status();
  if (r->status != 200) {
    return absl::UnavailableError(method + " " + target + ": HTTP " + std::to_string(r->status));
  }
  return ParseJson(r->body);
}

std::string Text(const JsonValue* v) {
  if (v == nullptr) return "";
  if (v->is_string()) return v->as_string();
  if (v->is_integer()) return std::to_string(v->as_int());
  return "";
}

const JsonValue& Items(const JsonValue& v, std::string_view key) {
  static const JsonValue empty = JsonValue::Array();
  const JsonValue* list = v.Find(key);
  return list != nullptr && list->is_array() ? *list : empty;
}

// The value of tag `key` in an MLflow [{key, value}] list, "" when absent.
std::string Tag(const JsonValue& tags, const std::string& key) {
  for (const auto& t : tags.items()) {
    if (Text(t.Find("key")) == key) return Text(t.Find("value"));
  }
  return "";
}

absl::Status GatherModels(const HttpClient& http, ServerFacts& s) {
  ASSIGN_OR_RETURN(JsonValue models,
                   Get(http, "GET", "/api/2.0/mlflow/registered-models/search?max_results=1000"));
  for (const auto& m : Items(models, "registered_models").items()) {
    ModelFacts f;
    f.name = Text(m.Find("name"));
    for (const auto& a : Items(m, "aliases").items()) {
      f.aliases.push_back(Text(a.Find("alias")) + "=" + Text(a.Find("version")));
    }
    ASSIGN_OR_RETURN(JsonValue versions,
                     Get(http, "GET",
                         "/api/2.0/mlflow/model-versions/search?max_results=1000&filter=" +
                             UrlEncode("name = '" + f.name + "'")));
    for (const auto& v : Items(versions, "model_versions").items()) {
      ++f.versions;
      const JsonValue& tags = Items(v, "tags");
      const std::string version = Text(v.Find("version"));
      if (!Tag(tags, "ferry.gate").empty()) f.gated_versions.push_back(version);
      if (!Tag(tags, "ferry.promotion").empty()) f.promotion_versions.push_back(version);
    }
    s.models.push_back(std::move(f));
  }
  return absl::OkStatus();
}

absl::Status GatherPipelineRuns(const HttpClient& http, ServerFacts& s) {
  ASSIGN_OR_RETURN(JsonValue experiments, Get(http, "POST", "/api/2.0/mlflow/experiments/search",
                                              R"({"max_results": 1000})"));
  for (const auto& e : Items(experiments, "experiments").items()) {
    const std::string name = Text(e.Find("name"));
    if (name.rfind("pipeline-", 0) != 0) continue;
    const std::string body =
        R"({"experiment_ids": [")" + Text(e.Find("experiment_id")) + R"("], "max_results": 1000})";
    ASSIGN_OR_RETURN(JsonValue runs, Get(http, "POST", "/api/2.0/mlflow/runs/search", body));
    for (const auto& r : Items(runs, "runs").items()) {
      const JsonValue* data = r.Find("data");
      const JsonValue* info = r.Find("info");
      if (data == nullptr || info == nullptr) continue;
      const JsonValue& tags = Items(*data, "tags");
      const std::string trigger = Tag(tags, "ferry.pipeline.trigger");
      if (trigger.empty()) continue;  // a step's child run
      s.pipeline_runs.push_back({Text(info->Find("run_id")), Tag(tags, "ferry.pipeline"), trigger});
    }
  }
  return absl::OkStatus();
}

bool HasLabels(const HttpClient& http, const std::string& deployment) {
  auto windows = Get(
      http, "GET",
      "/api/ferry/v1/monitoring/deployments/" + UrlEncode(deployment) + "/windows?max_results=50");
  if (!windows.ok()) return false;
  for (const auto& w : Items(*windows, "windows").items()) {
    const JsonValue* q = w.Find("quality");
    const JsonValue* n = q != nullptr ? q->Find("labelled") : nullptr;
    if (n != nullptr && n->is_integer() && n->as_int() > 0) return true;
  }
  return false;
}

absl::Status GatherDeployments(const HttpClient& http, ServerFacts& s) {
  auto list = Get(http, "GET", "/api/ferry/v1/monitoring/deployments");
  if (!list.ok()) return absl::OkStatus();  // a server without live monitoring
  for (const auto& d : Items(*list, "deployments").items()) {
    DeploymentFacts f;
    f.name = Text(d.Find("deployment"));
    const JsonValue* monitored = d.Find("monitored");
    const JsonValue* reference = d.Find("reference");
    const JsonValue* alert_after = d.Find("alert_after");
    f.monitored = monitored != nullptr && monitored->is_bool() && monitored->as_bool();
    f.reference = reference != nullptr && reference->is_bool() && reference->as_bool();
    f.alerts = alert_after != nullptr && alert_after->is_integer() && alert_after->as_int() > 0;
    if (f.monitored) f.labels = HasLabels(http, f.name);
    s.deployments.push_back(std::move(f));
  }
  return absl::OkStatus();
}

}  // namespace

ServerFacts GatherServer(const std::string& url) {
  ServerFacts s;
  s.url = url;
  auto http = ServerClient(url);
  if (!http.ok()) {
    s.error = std::string(http.status().message());
    return s;
  }
  http->set_timeout_ms(10000);
  for (auto step : {GatherModels, GatherPipelineRuns, GatherDeployments}) {
    if (absl::Status st = step(*http, s); !st.ok()) {
      s.error = std::string(st.message());
      return s;
    }
  }
  s.reached = true;
  return s;
}

}  // namespace ferry::cli
