// MLflow model-versions/* endpoints.

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

absl::Status WriteVersion(JsonWriter& w, const absl::StatusOr<ModelVersion>& v) {
  if (!v.ok()) return v.status();
  w.Key("model_version");
  WriteModelVersion(w, *v);
  return absl::OkStatus();
}

struct VersionRef {
  std::string name;
  std::string version;
};

absl::StatusOr<VersionRef> ReadRef(const RequestArgs& a) {
  VersionRef ref;
  ASSIGN_OR_RETURN(ref.name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(ref.version, a.RequiredString("version"));
  return ref;
}

absl::Status CreateVersion(registry::RegistryService& r, const HttpRequest& http,
                           const RequestArgs& a, JsonWriter& w) {
  registry::CreateModelVersionRequest req;
  req.workspace = http.workspace;
  ASSIGN_OR_RETURN(req.name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(req.source, a.RequiredString("source"));
  ASSIGN_OR_RETURN(req.run_id, OptionalString(a, "run_id"));
  ASSIGN_OR_RETURN(auto tag_items, a.ObjectList("tags"));
  ASSIGN_OR_RETURN(req.tags, ParseKeyValues(tag_items, "tags", true));
  ASSIGN_OR_RETURN(req.run_link, OptionalString(a, "run_link"));
  ASSIGN_OR_RETURN(req.description, OptionalString(a, "description"));
  return WriteVersion(w, r.CreateModelVersion(req));
}

absl::Status GetVersion(registry::RegistryService& r, const HttpRequest& http, const RequestArgs& a,
                        JsonWriter& w) {
  ASSIGN_OR_RETURN(VersionRef ref, ReadRef(a));
  return WriteVersion(w, r.GetModelVersion(http.workspace, ref.name, ref.version));
}

absl::Status UpdateVersion(registry::RegistryService& r, const HttpRequest& http,
                           const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(VersionRef ref, ReadRef(a));
  ASSIGN_OR_RETURN(std::string description, OptionalString(a, "description"));
  return WriteVersion(w, r.UpdateModelVersion(http.workspace, ref.name, ref.version, description));
}

absl::Status DeleteVersion(registry::RegistryService& r, const HttpRequest& http,
                           const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(VersionRef ref, ReadRef(a));
  return r.DeleteModelVersion(http.workspace, ref.name, ref.version);
}

absl::Status TransitionStage(registry::RegistryService& r, const HttpRequest& http,
                             const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(VersionRef ref, ReadRef(a));
  ASSIGN_OR_RETURN(std::string stage, a.RequiredString("stage"));
  ASSIGN_OR_RETURN(auto archive, a.Bool("archive_existing_versions"));
  if (!archive) return MissingParam("archive_existing_versions");
  return WriteVersion(
      w, r.TransitionModelVersionStage(http.workspace, ref.name, ref.version, stage, *archive));
}

absl::Status SearchVersions(registry::RegistryService& r, const HttpRequest& http,
                            const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(registry::SearchRegistryRequest req, ReadRegistrySearch(http, a));
  ASSIGN_OR_RETURN(auto result, r.SearchModelVersions(req));
  WriteModelVersions(w, "model_versions", result.items);
  if (!result.next_page_token.empty()) w.Field("next_page_token", result.next_page_token);
  return absl::OkStatus();
}

absl::Status GetDownloadUri(registry::RegistryService& r, const HttpRequest& http,
                            const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(VersionRef ref, ReadRef(a));
  ASSIGN_OR_RETURN(std::string uri,
                   r.GetModelVersionDownloadUri(http.workspace, ref.name, ref.version));
  w.Field("artifact_uri", uri);
  return absl::OkStatus();
}

absl::Status SetVersionTag(registry::RegistryService& r, const HttpRequest& http,
                           const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(VersionRef ref, ReadRef(a));
  ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
  ASSIGN_OR_RETURN(std::string value, a.RequiredString("value"));
  return r.SetModelVersionTag(http.workspace, ref.name, ref.version, {key, value});
}

absl::Status DeleteVersionTag(registry::RegistryService& r, const HttpRequest& http,
                              const RequestArgs& a, JsonWriter&) {
  ASSIGN_OR_RETURN(VersionRef ref, ReadRef(a));
  ASSIGN_OR_RETURN(std::string key, a.RequiredString("key"));
  return r.DeleteModelVersionTag(http.workspace, ref.name, ref.version, key);
}

}  // namespace

void RegisterModelVersionRoutes(Router& router, registry::RegistryService& r) {
  const std::string p = "/mlflow/model-versions/";
  AddMlflowRoute(router, "POST", p + "create", BindRequest(r, CreateVersion));
  AddMlflowRoute(router, "GET", p + "get", BindRequest(r, GetVersion));
  AddMlflowRoute(router, "PATCH", p + "update", BindRequest(r, UpdateVersion));
  AddMlflowRoute(router, "DELETE", p + "delete", BindRequest(r, DeleteVersion));
  AddMlflowRoute(router, "POST", p + "transition-stage", BindRequest(r, TransitionStage));
  AddMlflowRoute(router, "GET", p + "search", BindRequest(r, SearchVersions));
  AddMlflowRoute(router, "GET", p + "get-download-uri", BindRequest(r, GetDownloadUri));
  AddMlflowRoute(router, "POST", p + "set-tag", BindRequest(r, SetVersionTag));
  AddMlflowRoute(router, "DELETE", p + "delete-tag", BindRequest(r, DeleteVersionTag));
}

}  // namespace ferry::http
