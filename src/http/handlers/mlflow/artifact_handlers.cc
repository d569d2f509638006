// The MLflow artifact proxy (/api/2.0/mlflow-artifacts/artifacts...) and the tracking
// API's artifacts/list. Uploads and downloads stream; nothing holds a whole file in memory.

#include <memory>

#include "common/strings.h"
#include "http/handlers/error_response.h"
#include "http/handlers/handler_util.h"
#include "http/handlers/mlflow/artifact_response.h"
#include "http/handlers/mlflow/tracking_handlers.h"
#include "http/handlers/mlflow/tracking_json.h"

namespace ferry::http {
namespace {

class UploadSink : public BodySink {
 public:
  explicit UploadSink(std::unique_ptr<tracking::ArtifactUpload> upload)
      : upload_(std::move(upload)) {}
  // BodySink
  absl::Status Write(std::string_view chunk) override { return upload_->Append(chunk); }
  HttpResponse Finish() override {
    auto info = upload_->Commit();
    if (!info.ok()) return ErrorResponse(info.status());
    return HttpResponse::Json(200, "{}");
  }
  void Abort() override { upload_->Abort(); }

 private:
  std::unique_ptr<tracking::ArtifactUpload> upload_;
};

HttpResponse Download(tracking::ArtifactService& artifacts, HttpRequest& req) {
  auto d = artifacts.Open(req.path_rest);
  if (!d.ok()) return ErrorResponse(d.status());
  return ArtifactFileResponse(*std::move(d), req.path_rest, req);
}

HttpResponse Delete(tracking::ArtifactService& artifacts, HttpRequest& req) {
  if (IsPackagePath(req.path_rest)) return PackagesAreReadOnly();
  absl::Status s = artifacts.Delete(req.path_rest);
  if (!s.ok()) return ErrorResponse(s);
  return HttpResponse::Json(200, "{}");
}

absl::Status ListProxy(tracking::ArtifactService& artifacts, const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(auto path, a.String("path"));
  ASSIGN_OR_RETURN(auto files, artifacts.ListDir(path.value_or("")));
  WriteFileInfos(w, files);
  return absl::OkStatus();
}

absl::Status ListRunArtifacts(tracking::ArtifactService& artifacts, const RequestArgs& a,
                              JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string run_id, a.RunId());
  ASSIGN_OR_RETURN(auto path, a.String("path"));
  ASSIGN_OR_RETURN(auto listing, artifacts.ListRunArtifacts(run_id, path.value_or("")));
  w.Field("root_uri", listing.root_uri);
  WriteFileInfos(w, listing.files);
  return absl::OkStatus();
}

}  // namespace

void RegisterArtifactRoutes(Router& router, tracking::ArtifactService& artifacts,
                            BlockingWorker* worker) {
  for (const char* api : {"/api/2.0", "/ajax-api/2.0"}) {
    std::string base = std::string(api) + "/mlflow-artifacts/artifacts";
    router.AddStream(
        "PUT", base + "/*",
        [&artifacts,
         worker](HttpRequest& req) -> std::variant<std::unique_ptr<BodySink>, HttpResponse> {
          if (IsPackagePath(req.path_rest)) return PackagesAreReadOnly();
          auto upload = artifacts.BeginUpload(req.path_rest);
          if (!upload.ok()) return ErrorResponse(upload.status());
          return OffloadUpload(std::make_unique<UploadSink>(std::move(*upload)), worker);
        });
    AddStoreRoute(router, "GET", base + "/*", worker,
                  [&artifacts](HttpRequest& req) { return Download(artifacts, req); });
    AddStoreRoute(router, "DELETE", base + "/*", worker,
                  [&artifacts](HttpRequest& req) { return Delete(artifacts, req); });
    router.Add("GET", base, Bind(artifacts, ListProxy));
  }
  RegisterMultipartUploadRoutes(router, artifacts, worker);
}

void RegisterRunArtifactListRoute(Router& router, tracking::ArtifactService& artifacts) {
  AddMlflowRoute(router, "GET", "/mlflow/artifacts/list", Bind(artifacts, ListRunArtifacts));
}

void RegisterHealthRoutes(Router& router) {
  router.Add("GET", "/health", [](HttpRequest&) { return HttpResponse::Text(200, "OK"); });
  // The MLflow API version Ferry speaks; clients gate features on it.
  router.Add("GET", "/version", [](HttpRequest&) { return HttpResponse::Text(200, "2.12.2"); });
}

}  // namespace ferry::http
