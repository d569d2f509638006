#include "cli/mlflow/model_registry_client.h"

#include "common/json_writer.h"
#include "common/strings.h"

namespace ferry::cli {
namespace {

absl::StatusOr<JsonValue> Member(const JsonValue& v, std::string_view field) {
  const JsonValue* m = v.Find(field);
  if (m == nullptr || !m->is_object()) {
    return absl::DataLossError("the server's answer has no '" + std::string(field) + "'");
  }
  return *m;
}

std::string Body(std::initializer_list<std::pair<const char*, std::string>> fields) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject();
  for (const auto& [key, value] : fields) {
    if (!value.empty()) w.Field(key, value);
  }
  w.EndObject();
  return body;
}

}  // namespace

absl::StatusOr<JsonValue> ModelRegistryClient::Call(const std::string& method,
                                                    const std::string& path,
                                                    const std::string& body) {
  ASSIGN_OR_RETURN(ClientResponse resp, http_.Send(method, "/api/2.0/mlflow" + path, body));
  if (resp.status != 200) return ServerError(resp);
  return ParseJson(resp.body);
}

absl::StatusOr<JsonValue> ModelRegistryClient::SearchModels(const std::string& filter,
                                                            int64_t max_results,
                                                            const std::string& page_token) {
  std::string path = "/registered-models/search?max_results=" + std::to_string(max_results);
  if (!filter.empty()) path += "&filter=" + UrlEncode(filter);
  if (!page_token.empty()) path += "&page_token=" + UrlEncode(page_token);
  return Call("GET", path, "");
}

absl::StatusOr<JsonValue> ModelRegistryClient::GetModel(const std::string& name) {
  ASSIGN_OR_RETURN(JsonValue v, Call("GET", "/registered-models/get?name=" + UrlEncode(name), ""));
  return Member(v, "registered_model");
}

absl::StatusOr<JsonValue> ModelRegistryClient::CreateModel(const std::string& name,
                                                           const std::string& description) {
  ASSIGN_OR_RETURN(JsonValue v, Call("POST", "/registered-models/create",
                                     Body({{"name", name}, {"description", description}})));
  return Member(v, "registered_model");
}

absl::StatusOr<std::vector<JsonValue>> ModelRegistryClient::ListVersions(const std::string& name) {
  std::string filter = "name = '" + name + "'";
  ASSIGN_OR_RETURN(JsonValue v,
                   Call("GET",
                        "/model-versions/search?max_results=1000&order_by=" +
                            UrlEncode("version_number DESC") + "&filter=" + UrlEncode(filter),
                        ""));
  std::vector<JsonValue> out;
  if (const JsonValue* list = v.Find("model_versions"); list && list->is_array()) {
    out = list->items();
  }
  return out;
}

absl::StatusOr<JsonValue> ModelRegistryClient::GetLatestVersion(const std::string& name,
                                                                const std::string& stage) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject();
  w.Field("name", name);
  w.Key("stages");
  w.BeginArray();
  if (!stage.empty()) w.String(stage);
  w.EndArray();
  w.EndObject();
  ASSIGN_OR_RETURN(JsonValue v, Call("POST", "/registered-models/get-latest-versions", body));
  const JsonValue* best = nullptr;
  int64_t best_number = -1;
  if (const JsonValue* list = v.Find("model_versions"); list && list->is_array()) {
    for (const JsonValue& mv : list->items()) {
      auto number = ParseInt64(FieldText(mv, "version"));
      if (number && *number > best_number) best = &mv, best_number = *number;
    }
  }
  if (best == nullptr) {
    return absl::NotFoundError("model " + name + " has no version" +
                               (stage.empty() ? std::string() : " in stage " + stage));
  }
  return *best;
}

absl::StatusOr<JsonValue> ModelRegistryClient::CreateVersion(const std::string& name,
                                                             const std::string& source,
                                                             const std::string& run_id,
                                                             const std::string& description) {
  ASSIGN_OR_RETURN(JsonValue v, Call("POST", "/model-versions/create",
                                     Body({{"name", name},
                                           {"source", source},
                                           {"run_id", run_id},
                                           {"description", description}})));
  return Member(v, "model_version");
}

std::string FieldText(const JsonValue& obj, std::string_view field) {
  const JsonValue* v = obj.Find(field);
  if (v == nullptr) return "";
  if (v->is_string()) return v->as_string();
  if (v->is_integer()) return std::to_string(v->as_int());
  return ToJsonString(*v);
}

absl::StatusOr<JsonValue> ModelRegistryClient::GetVersion(const std::string& name,
                                                          const std::string& version) {
  ASSIGN_OR_RETURN(
      JsonValue v,
      Call("GET", "/model-versions/get?name=" + UrlEncode(name) + "&version=" + UrlEncode(version),
           ""));
  return Member(v, "model_version");
}

absl::StatusOr<JsonValue> ModelRegistryClient::GetVersionByAlias(const std::string& name,
                                                                 const std::string& alias) {
  absl::StatusOr<JsonValue> v = Call(
      "GET", "/registered-models/alias?name=" + UrlEncode(name) + "&alias=" + UrlEncode(alias), "");
  // MLflow answers an unset alias with 400 INVALID_PARAMETER_VALUE "Registered model alias X
  // not found."; callers need to tell it from a bad request.
  if (absl::IsInvalidArgument(v.status()) &&
      StatusMessage(v.status()).find(" not found") != std::string_view::npos) {
    return absl::NotFoundError(std::string(StatusMessage(v.status())));
  }
  if (!v.ok()) return v.status();
  return Member(*v, "model_version");
}

absl::StatusOr<JsonValue> ModelRegistryClient::TransitionStage(const std::string& name,
                                                               const std::string& version,
                                                               const std::string& stage,
                                                               bool archive_existing) {
  std::string body;
  JsonWriter(&body)
      .BeginObject()
      .Field("name", name)
      .Field("version", version)
      .Field("stage", stage)
      .FieldBool("archive_existing_versions", archive_existing)
      .EndObject();
  ASSIGN_OR_RETURN(JsonValue v, Call("POST", "/model-versions/transition-stage", body));
  return Member(v, "model_version");
}

absl::Status ModelRegistryClient::SetAlias(const std::string& name, const std::string& alias,
                                           const std::string& version) {
  return Call("POST", "/registered-models/alias",
              Body({{"name", name}, {"alias", alias}, {"version", version}}))
      .status();
}

absl::Status ModelRegistryClient::DeleteAlias(const std::string& name, const std::string& alias) {
  return Call("DELETE", "/registered-models/alias", Body({{"name", name}, {"alias", alias}}))
      .status();
}

absl::Status ModelRegistryClient::SetVersionTag(const std::string& name, const std::string& version,
                                                const std::string& key, const std::string& value) {
  return Call("POST", "/model-versions/set-tag",
              Body({{"name", name}, {"version", version}, {"key", key}, {"value", value}}))
      .status();
}

}  // namespace ferry::cli

namespace ferry::cli {

absl::StatusOr<JsonValue> ModelRegistryClient::UploadPackage(const std::string& tar_path) {
  net::ClientRequest req;
  req.method = "POST";
  req.target = "/api/ferry/v1/packages";
  req.body_file = tar_path;
  req.headers.emplace_back("Content-Type", "application/x-tar");
  ASSIGN_OR_RETURN(ClientResponse resp, http_.Do(req));
  if (resp.status != 200) return ServerError(resp);
  ASSIGN_OR_RETURN(JsonValue body, ParseJson(resp.body));
  const JsonValue* package = body.Find("package");
  if (package == nullptr || !package->is_object()) {
    return absl::DataLossError("the server's package answer has no \"package\" object");
  }
  return *package;
}

}  // namespace ferry::cli
