// MLflow registered-models/* endpoints, including tags and aliases.

#include "http/handlers/handler_util.h"
#include "http/handlers/mlflow/registry_handlers.h"
#include "http/handlers/mlflow/registry_json.h"
#include "http/handlers/mlflow/tracking_json.h"

namespace ferry::http {
namespace {

absl::StatusOr<std::string> OptionalString(const RequestArgs& a, std::string_view field) {
  ASSIGN_OR_RETURN(auto v, a.String(field));
  return v.value_or("");
}

absl::Status WriteModel(JsonWriter& w, const absl::StatusOr<RegisteredModel>& m) {
  if (!m.ok()) return m.status();
  w.Key("registered_model");
  WriteRegisteredModel(w, *m);
  return absl::OkStatus();
}

absl::Status CreateModel(registry::RegistryService& r, const HttpRequest& http,
                         const RequestArgs& a, JsonWriter& w) {
  registry::CreateRegisteredModelRequest req;
  req.workspace = http.workspace;
  ASSIGN_OR_RETURN(req.name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(auto tag_items, a.ObjectList("tags"));
  ASSIGN_OR_RETURN(req.tags, ParseKeyValues(tag_items, "tags", true));
  ASSIGN_OR_RETURN(req.description, OptionalString(a, "description"));
  return WriteModel(w, r.CreateRegisteredModel(req));
}

absl::Status GetModel(registry::RegistryService& r, const HttpRequest& http, const RequestArgs& a,
                      JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  return WriteModel(w, r.GetRegisteredModel(http.workspace, name));
}

absl::Status RenameModel(registry::RegistryService& r, const HttpRequest& http,
                         const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(std::string new_name, OptionalString(a, "new_name"));
  return WriteModel(w, r.RenameRegisteredModel(http.workspace, name, new_name));
}

absl::Status UpdateModel(registry::RegistryService& r, const HttpRequest& http,
                         const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(std::string description, OptionalString(a, "description"));
  return WriteModel(w, r.UpdateRegisteredModel(http.workspace, name, description));
}

absl::Status DeleteModel(registry::RegistryService& r, const HttpRequest& http,
                         const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  return r.DeleteRegisteredModel(http.workspace, name);
}

absl::Status SearchModels(registry::RegistryService& r, const HttpRequest& http,
                          const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(registry::SearchRegistryRequest req, ReadRegistrySearch(http, a));
  ASSIGN_OR_RETURN(auto result, r.SearchRegisteredModels(req));
  if (!result.items.empty()) {
    w.Key("registered_models").BeginArray();
    for (const RegisteredModel& m : result.items) WriteRegisteredModel(w, m);
    w.EndArray();
  }
  if (!result.next_page_token.empty()) w.Field("next_page_token", result.next_page_token);
  return absl::OkStatus();
}

absl::Status GetLatestVersions(registry::RegistryService& r, const HttpRequest& http,
                               const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(std::vector<std::string> stages, a.StringList("stages"));
  ASSIGN_OR_RETURN(std::vector<ModelVersion> versions,
                   r.GetLatestVersions(http.workspace, name, stages));
  WriteModelVersions(w, "model_versions", versions);
  return absl::OkStatus();
}

absl::Status SetModelTag(registry::RegistryService& r, const HttpRequest& http,
                         const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
  ASSIGN_OR_RETURN(std::string value, a.RequiredString("value"));
  return r.SetRegisteredModelTag(http.workspace, name, {key, value});
}

absl::Status DeleteModelTag(registry::RegistryService& r, const HttpRequest& http,
                            const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
  return r.DeleteRegisteredModelTag(http.workspace, name, key);
}

absl::Status SetAlias(registry::RegistryService& r, const HttpRequest& http, const RequestArgs& a,
                      JsonWriter&) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(std::string alias, a.RequiredString("alias"));
  ASSIGN_OR_RETURN(std::string version, a.RequiredString("version"));
  return r.SetRegisteredModelAlias(http.workspace, name, alias, version);
}

absl::Status DeleteAlias(registry::RegistryService& r, const HttpRequest& http,
                         const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(std::string alias, a.RequiredString("alias"));
  return r.DeleteRegisteredModelAlias(http.workspace, name, alias);
}

absl::Status GetByAlias(registry::RegistryService& r, const HttpRequest& http, const RequestArgs& a,
                        JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(std::string alias, a.RequiredString("alias"));
  ASSIGN_OR_RETURN(ModelVersion v, r.GetModelVersionByAlias(http.workspace, name, alias));
  w.Key("model_version");
  WriteModelVersion(w, v);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<registry::SearchRegistryRequest> ReadRegistrySearch(const HttpRequest& http,
                                                                   const RequestArgs& a) {
  registry::SearchRegistryRequest req;
  req.scope = http.model_scope;
  req.scope.workspace = http.workspace;
  ASSIGN_OR_RETURN(req.filter, OptionalString(a, "filter"));
  ASSIGN_OR_RETURN(req.order_by, a.StringList("order_by"));
  ASSIGN_OR_RETURN(req.max_results, a.Int64("max_results"));
  ASSIGN_OR_RETURN(req.page_token, OptionalString(a, "page_token"));
  return req;
}

void RegisterRegisteredModelRoutes(Router& router, registry::RegistryService& r) {
  const std::string p = "/mlflow/registered-models/";
  AddMlflowRoute(router, "POST", p + "create", BindRequest(r, CreateModel));
  AddMlflowRoute(router, "GET", p + "get", BindRequest(r, GetModel));
  AddMlflowRoute(router, "POST", p + "rename", BindRequest(r, RenameModel));
  AddMlflowRoute(router, "PATCH", p + "update", BindRequest(r, UpdateModel));
  AddMlflowRoute(router, "DELETE", p + "delete", BindRequest(r, DeleteModel));
  AddMlflowRoute(router, "GET", p + "search", BindRequest(r, SearchModels));
  AddMlflowRoute(router, "POST", p + "get-latest-versions", BindRequest(r, GetLatestVersions));
  AddMlflowRoute(router, "GET", p + "get-latest-versions", BindRequest(r, GetLatestVersions));
  AddMlflowRoute(router, "POST", p + "set-tag", BindRequest(r, SetModelTag));
  AddMlflowRoute(router, "DELETE", p + "delete-tag", BindRequest(r, DeleteModelTag));
  AddMlflowRoute(router, "POST", p + "alias", BindRequest(r, SetAlias));
  AddMlflowRoute(router, "DELETE", p + "alias", BindRequest(r, DeleteAlias));
  AddMlflowRoute(router, "GET", p + "alias", BindRequest(r, GetByAlias));
}

}  // namespace ferry::http
