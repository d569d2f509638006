#include "cli/tracking_client.h"

#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"

namespace ferry::cli {

absl::Status ServerError(const ClientResponse& resp) {
  std::string code = "HTTP " + std::to_string(resp.status);
  std::string message = resp.body;
  if (auto json = ParseJson(resp.body); json.ok() && json->is_object()) {
    if (const JsonValue* c = json->Find("error_code"); c && c->is_string()) code = c->as_string();
    if (const JsonValue* m = json->Find("message"); m && m->is_string()) message = m->as_string();
  }
  std::string text = code + ": " + message;
  if (resp.status == 404) return absl::NotFoundError(text);
  if (code == "RESOURCE_ALREADY_EXISTS") return absl::AlreadyExistsError(text);
  if (resp.status >= 500) return absl::UnavailableError(text);
  return absl::InvalidArgumentError(text);
}

absl::StatusOr<std::string> TrackingClient::Call(const std::string& method, const std::string& path,
                                                 const std::string& body) {
  ASSIGN_OR_RETURN(ClientResponse resp, http_.Send(method, "/api/2.0/mlflow" + path, body));
  if (resp.status != 200) return ServerError(resp);
  return resp.body;
}

absl::StatusOr<std::string> TrackingClient::GetOrCreateExperiment(const std::string& name) {
  auto got = Call("GET", "/experiments/get-by-name?experiment_name=" + UrlEncode(name), "");
  if (got.ok()) {
    ASSIGN_OR_RETURN(JsonValue v, ParseJson(*got));
    const JsonValue* exp = v.Find("experiment");
    if (exp && exp->Find("experiment_id")) return exp->Find("experiment_id")->as_string();
    return absl::DataLossError("experiments/get-by-name answered without an experiment");
  }
  if (!absl::IsNotFound(got.status())) return got.status();
  std::string body;
  JsonWriter(&body).BeginObject().Field("name", name).EndObject();
  ASSIGN_OR_RETURN(std::string created, Call("POST", "/experiments/create", body));
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(created));
  const JsonValue* id = v.Find("experiment_id");
  if (!id || !id->is_string()) return absl::DataLossError("experiments/create gave no id");
  return id->as_string();
}

absl::StatusOr<CreatedRun> TrackingClient::CreateRun(const std::string& experiment_id,
                                                     const std::string& run_name,
                                                     int64_t start_time,
                                                     const std::vector<RunTag>& tags) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject().Field("experiment_id", experiment_id).Field("start_time", start_time);
  if (!run_name.empty()) w.Field("run_name", run_name);
  w.Key("tags").BeginArray();
  for (const auto& t : tags)
    w.BeginObject().Field("key", t.key).Field("value", t.value).EndObject();
  w.EndArray().EndObject();
  ASSIGN_OR_RETURN(std::string resp, Call("POST", "/runs/create", body));
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(resp));
  const JsonValue* run = v.Find("run");
  const JsonValue* info = run ? run->Find("info") : nullptr;
  if (!info) return absl::DataLossError("runs/create answered without run info");
  CreatedRun out;
  if (auto* id = info->Find("run_id")) out.run_id = id->as_string();
  if (auto* e = info->Find("experiment_id")) out.experiment_id = e->as_string();
  if (auto* a = info->Find("artifact_uri")) out.artifact_uri = a->as_string();
  return out;
}

absl::Status TrackingClient::LogBatch(const std::string& run_id, const std::vector<Metric>& metrics,
                                      const std::vector<Param>& params,
                                      const std::vector<RunTag>& tags) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject().Field("run_id", run_id).Key("metrics").BeginArray();
  for (const auto& m : metrics) {
    w.BeginObject().Field("key", m.key).FieldDouble("value", m.value);
    w.Field("timestamp", m.timestamp).Field("step", m.step).EndObject();
  }
  w.EndArray().Key("params").BeginArray();
  for (const auto& p : params)
    w.BeginObject().Field("key", p.key).Field("value", p.value).EndObject();
  w.EndArray().Key("tags").BeginArray();
  for (const auto& t : tags)
    w.BeginObject().Field("key", t.key).Field("value", t.value).EndObject();
  w.EndArray().EndObject();
  return Call("POST", "/runs/log-batch", body).status();
}

absl::Status TrackingClient::EndRun(const std::string& run_id, RunStatus status, int64_t end_time) {
  std::string body;
  JsonWriter(&body)
      .BeginObject()
      .Field("run_id", run_id)
      .Field("status", RunStatusName(status))
      .Field("end_time", end_time)
      .EndObject();
  return Call("POST", "/runs/update", body).status();
}

absl::Status TrackingClient::UploadArtifact(const std::string& artifact_uri,
                                            const std::string& rel_path,
                                            const std::string& local_file) {
  constexpr std::string_view kScheme = "mlflow-artifacts:";
  if (!StartsWith(artifact_uri, kScheme)) {
    return absl::FailedPreconditionError("artifact URI '" + artifact_uri +
                                         "' is not served by the artifact proxy");
  }
  std::string root = artifact_uri.substr(kScheme.size());
  while (!root.empty() && root.front() == '/') root.erase(0, 1);
  std::string target = "/api/2.0/mlflow-artifacts/artifacts/" + UrlEncode(root + "/" + rel_path);
  ASSIGN_OR_RETURN(ClientResponse resp, http_.PutFile(target, local_file));
  if (resp.status != 200) return ServerError(resp);
  return absl::OkStatus();
}

}  // namespace ferry::cli
