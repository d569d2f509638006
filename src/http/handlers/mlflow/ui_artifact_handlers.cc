// The web UI's artifact routes: /get-artifact, /model-versions/get-artifact (downloads, sent
// as the artifact proxy sends them) and ajax-api/2.0/mlflow/upload-artifact (a small file
// streamed into the run's artifacts). Checks run in MLflow 2.12.2's order with its texts.

#include <memory>
#include <variant>

#include "common/strings.h"
#include "core/validation.h"
#include "http/handlers/error_response.h"
#include "http/handlers/mlflow/artifact_response.h"
#include "http/handlers/mlflow/ui_handlers.h"
#include "http/handlers/request_args.h"
#include "http/query.h"

namespace ferry::http {
namespace {

constexpr int64_t kMaxUploadBytes = 10 * 1024 * 1024;
constexpr char kUploadTooLarge[] = "Artifact size is too large. Max size is 10MB.";

// The `path` parameter, made safe (MLflow's validate_path_is_safe). MLflow fails with a 500
// when it is absent; Ferry names the parameter instead.
absl::StatusOr<std::string> SafePathParam(const RequestArgs& args) {
  ASSIGN_OR_RETURN(auto path, args.String("path"));
  if (!path) return MissingParam("path");
  return SafeRequestPath(*path);
}

HttpResponse SendUnderRoot(tracking::ArtifactService& artifacts,
                           const absl::StatusOr<std::string>& root, const std::string& path,
                           const HttpRequest& req) {
  if (!root.ok()) return ErrorResponse(root.status());
  auto download = artifacts.OpenUnderRoot(*root, path);
  if (!download.ok()) return ErrorResponse(download.status());
  return ArtifactFileResponse(*std::move(download), path, req);
}

HttpResponse GetRunArtifact(tracking::ArtifactService& artifacts, HttpRequest& req) {
  auto args = RequestArgs::FromRequest(req);
  if (!args.ok()) return ErrorResponse(args.status());
  auto path = SafePathParam(*args);
  if (!path.ok()) return ErrorResponse(path.status());
  std::string run_id;
  for (const char* field : {"run_id", "run_uuid"}) {  // MLflow: run_id or run_uuid
    auto id = args->String(field);
    if (!id.ok()) return ErrorResponse(id.status());
    if (run_id.empty() && id->has_value()) run_id = **id;
  }
  // MLflow looks up the run None when neither is given.
  if (run_id.empty()) return ErrorResponse(absl::NotFoundError("Run with id=None not found"));
  return SendUnderRoot(artifacts, artifacts.RunArtifactUri(run_id), *path, req);
}

// MLflow's SQL registry store checks, which this route reaches before any other.
absl::Status CheckNameAndVersion(const std::optional<std::string>& name,
                                 const std::optional<std::string>& version) {
  if (!name || name->empty()) {
    return absl::InvalidArgumentError("Registered model name cannot be empty.");
  }
  if (!version || !ParseInt64(*version)) {
    return absl::InvalidArgumentError("Model version must be an integer, got '" +
                                      version.value_or("None") + "'");
  }
  return absl::OkStatus();
}

HttpResponse GetModelVersionArtifact(tracking::ArtifactService& artifacts,
                                     registry::RegistryService& registry, HttpRequest& req) {
  auto args = RequestArgs::FromRequest(req);
  if (!args.ok()) return ErrorResponse(args.status());
  auto path = SafePathParam(*args);
  if (!path.ok()) return ErrorResponse(path.status());
  auto name = args->String("name");
  if (!name.ok()) return ErrorResponse(name.status());
  auto version = args->String("version");
  if (!version.ok()) return ErrorResponse(version.status());
  absl::Status s = CheckNameAndVersion(*name, *version);
  if (!s.ok()) return ErrorResponse(s);
  return SendUnderRoot(
      artifacts, registry.GetModelVersionDownloadUri(req.workspace, **name, **version), *path, req);
}

// Streams the body into the artifact store; the blob is committed (renamed into place and
// indexed) only when the whole body has arrived, so a file is never seen half written.
class UploadSink : public BodySink {
 public:
  explicit UploadSink(std::unique_ptr<tracking::ArtifactUpload> upload)
      : upload_(std::move(upload)) {}
  // BodySink
  absl::Status Write(std::string_view chunk) override {
    received_ += static_cast<int64_t>(chunk.size());
    if (received_ > kMaxUploadBytes) return absl::InvalidArgumentError(kUploadTooLarge);
    return upload_->Append(chunk);
  }
  HttpResponse Finish() override {
    if (received_ == 0) {
      upload_->Abort();
      return ErrorResponse(absl::InvalidArgumentError("Request must specify data."));
    }
    auto info = upload_->Commit();
    if (!info.ok()) return ErrorResponse(info.status());
    return HttpResponse::Json(200, "");  // MLflow answers an empty application/json body
  }
  void Abort() override { upload_->Abort(); }

 private:
  std::unique_ptr<tracking::ArtifactUpload> upload_;
  int64_t received_ = 0;
};

// The declared body size: -1 when chunked (unknown until it arrives), 0 when there is none.
int64_t DeclaredBodySize(const HttpRequest& req) {
  if (const std::string* length = req.Header("content-length")) {
    return ParseInt64(*length).value_or(-1);
  }
  return req.Header("transfer-encoding") != nullptr ? -1 : 0;
}

using UploadStart = std::variant<std::unique_ptr<BodySink>, HttpResponse>;

absl::StatusOr<UploadStart> BeginUpload(tracking::ArtifactService& artifacts,
                                        const HttpRequest& req) {
  ASSIGN_OR_RETURN(QueryParams query, ParseQuery(req.query));
  const std::string* run_id = query.Get("run_uuid");
  if (run_id == nullptr || run_id->empty()) {
    return absl::InvalidArgumentError("Request must specify run_uuid.");
  }
  const std::string* raw_path = query.Get("path");
  if (raw_path == nullptr || raw_path->empty()) {
    return absl::InvalidArgumentError("Request must specify path.");
  }
  ASSIGN_OR_RETURN(std::string path, SafeRequestPath(*raw_path));
  const int64_t size = DeclaredBodySize(req);
  if (size > kMaxUploadBytes) return absl::InvalidArgumentError(kUploadTooLarge);
  if (size == 0) return absl::InvalidArgumentError("Request must specify data.");
  ASSIGN_OR_RETURN(std::string root, artifacts.RunArtifactUri(*run_id));
  ASSIGN_OR_RETURN(std::string stored, artifacts.ResolveUnderRoot(root, path));
  // A run whose experiment's artifact_location points into packages/ must not write there.
  if (IsPackagePath(stored)) return UploadStart(PackagesAreReadOnly());
  ASSIGN_OR_RETURN(auto upload, artifacts.BeginUpload(stored));
  return UploadStart(std::make_unique<UploadSink>(std::move(upload)));
}

}  // namespace

void RegisterUiArtifactRoutes(Router& router, tracking::ArtifactService& artifacts,
                              registry::RegistryService& registry, BlockingWorker* worker) {
  AddStoreRoute(router, "GET", "/get-artifact", worker,
                [&artifacts](HttpRequest& req) { return GetRunArtifact(artifacts, req); });
  AddStoreRoute(router, "GET", "/model-versions/get-artifact", worker,
                [&artifacts, &registry](HttpRequest& req) {
                  return GetModelVersionArtifact(artifacts, registry, req);
                });
  router.AddStream("POST", "/ajax-api/2.0/mlflow/upload-artifact",
                   [&artifacts, worker](HttpRequest& req) -> UploadStart {
                     auto start = BeginUpload(artifacts, req);
                     if (!start.ok()) return ErrorResponse(start.status());
                     if (auto* sink = std::get_if<std::unique_ptr<BodySink>>(&*start)) {
                       return OffloadUpload(std::move(*sink), worker);
                     }
                     return *std::move(start);
                   });
}

}  // namespace ferry::http
