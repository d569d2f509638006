#include "cli/mlflow/tracking_client.h"

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

absl::Status TrackingClient::LogInputs(const std::string& run_id,
                                       const std::vector<DatasetInput>& inputs) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject().Field("run_id", run_id).Key("datasets").BeginArray();
  for (const DatasetInput& in : inputs) {
    w.BeginObject().Key("tags").BeginArray();
    for (const auto& t : in.tags) {
      w.BeginObject().Field("key", t.key).Field("value", t.value).EndObject();
    }
    const Dataset& d = in.dataset;
    w.EndArray().Key("dataset").BeginObject().Field("name", d.name).Field("digest", d.digest);
    w.Field("source_type", d.source_type).Field("source", d.source).EndObject().EndObject();
  }
  w.EndArray().EndObject();
  return Call("POST", "/runs/log-inputs", body).status();
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

namespace {

// The artifact proxy path of `<artifact_uri>/<rel_path>`.
absl::StatusOr<std::string> ProxyTarget(const std::string& artifact_uri,
                                        const std::string& rel_path) {
  constexpr std::string_view kScheme = "mlflow-artifacts:";
  if (!StartsWith(artifact_uri, kScheme)) {
    return absl::FailedPreconditionError("artifact URI '" + artifact_uri +
                                         "' is not served by the artifact proxy");
  }
  std::string root = artifact_uri.substr(kScheme.size());
  while (!root.empty() && root.front() == '/') root.erase(0, 1);
  return "/api/2.0/mlflow-artifacts/artifacts/" + UrlEncode(root + "/" + rel_path);
}

void ReadKeyValues(const JsonValue* list, std::map<std::string, std::string>& out) {
  if (list == nullptr || !list->is_array()) return;
  for (const JsonValue& kv : list->items()) {
    const JsonValue* k = kv.Find("key");
    const JsonValue* v = kv.Find("value");
    if (k && k->is_string() && v && v->is_string()) out[k->as_string()] = v->as_string();
  }
}

}  // namespace

absl::StatusOr<RunDetails> TrackingClient::GetRun(const std::string& run_id) {
  ASSIGN_OR_RETURN(std::string resp, Call("GET", "/runs/get?run_id=" + UrlEncode(run_id), ""));
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(resp));
  const JsonValue* run = v.Find("run");
  const JsonValue* info = run ? run->Find("info") : nullptr;
  if (!info) return absl::DataLossError("runs/get answered without run info");
  RunDetails out;
  out.run_id = run_id;
  if (auto* a = info->Find("artifact_uri"); a && a->is_string()) out.artifact_uri = a->as_string();
  const JsonValue* data = run->Find("data");
  if (data == nullptr) return out;
  ReadKeyValues(data->Find("params"), out.params);
  ReadKeyValues(data->Find("tags"), out.tags);
  if (const JsonValue* metrics = data->Find("metrics"); metrics && metrics->is_array()) {
    for (const JsonValue& m : metrics->items()) {
      const JsonValue* k = m.Find("key");
      const JsonValue* val = m.Find("value");
      if (k && k->is_string() && val && val->is_number())
        out.metrics[k->as_string()] = val->as_double();
    }
  }
  return out;
}

absl::StatusOr<std::vector<ArtifactEntry>> TrackingClient::ListArtifacts(const std::string& run_id,
                                                                         const std::string& path) {
  ASSIGN_OR_RETURN(
      std::string resp,
      Call("GET", "/artifacts/list?run_id=" + UrlEncode(run_id) + "&path=" + UrlEncode(path), ""));
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(resp));
  std::vector<ArtifactEntry> out;
  const JsonValue* files = v.Find("files");
  if (files == nullptr || !files->is_array()) return out;
  for (const JsonValue& f : files->items()) {
    ArtifactEntry e;
    if (auto* p = f.Find("path"); p && p->is_string()) e.path = p->as_string();
    if (auto* d = f.Find("is_dir"); d && d->is_bool()) e.is_dir = d->as_bool();
    if (auto* s = f.Find("file_size"); s && s->is_integer()) e.size = s->as_int();
    out.push_back(std::move(e));
  }
  return out;
}

absl::Status TrackingClient::DownloadArtifact(const std::string& artifact_uri,
                                              const std::string& rel_path,
                                              const std::string& local_file) {
  ASSIGN_OR_RETURN(std::string target, ProxyTarget(artifact_uri, rel_path));
  net::ClientRequest req;
  req.target = target;
  req.response_file = local_file;
  ASSIGN_OR_RETURN(ClientResponse resp, http_.Do(req));
  if (resp.status != 200) return ServerError(resp);
  return absl::OkStatus();
}

absl::Status TrackingClient::UploadArtifact(const std::string& artifact_uri,
                                            const std::string& rel_path,
                                            const std::string& local_file) {
  ASSIGN_OR_RETURN(std::string target, ProxyTarget(artifact_uri, rel_path));
  ASSIGN_OR_RETURN(ClientResponse resp, http_.PutFile(target, local_file));
  if (resp.status != 200) return ServerError(resp);
  return absl::OkStatus();
}

}  // namespace ferry::cli
