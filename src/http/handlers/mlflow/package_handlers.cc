#include "http/handlers/mlflow/package_handlers.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>
#include <utility>

#include "common/file_hash.h"
#include "common/fs.h"
#include "common/json_writer.h"
#include "http/handlers/error_response.h"
#include "http/handlers/mlflow/trust_policy_handlers.h"

namespace ferry::http {
namespace {

// Imports and verifies the uploaded tar at `path` (then removed) and answers with the
// accepted package.
HttpResponse AcceptUpload(package::PackageIntake& intake, const std::string& path,
                          const std::shared_ptr<const package::TrustPolicy>& policy) {
  auto accepted = intake.Accept(path, policy.get());
  ::unlink(path.c_str());
  if (!accepted.ok()) return ErrorResponse(accepted.status());
  std::string body;
  JsonWriter w(&body);
  w.BeginObject().Key("package").BeginObject();
  w.Field("digest", accepted->manifest_digest)
      .Field("name", accepted->name)
      .Field("version", accepted->version)
      .Field("source", accepted->source_uri)
      .Field("signer", accepted->signer)
      .FieldBool("provenance_verified", accepted->provenance_verified);
  w.Key("checks").BeginArray();
  for (const std::string& c : accepted->checks) w.String(c);
  w.EndArray().EndObject().EndObject();
  return HttpResponse::Json(200, body);
}

// Streams the uploaded tar to a file in the intake's work directory, then has the worker
// accept it.
class PackageSink : public BodySink {
 public:
  PackageSink(package::PackageIntake& intake, BlockingWorker* worker, std::string path, int fd,
              std::shared_ptr<const package::TrustPolicy> policy)
      : intake_(intake),
        worker_(worker),
        path_(std::move(path)),
        fd_(fd),
        policy_(std::move(policy)) {}
  ~PackageSink() override { Close(true); }

  absl::Status Write(std::string_view chunk) override { return WriteAll(fd_, chunk, path_); }
  HttpResponse Finish() override {
    Close(false);
    return AcceptUpload(intake_, std::exchange(path_, std::string()), policy_);
  }
  void FinishAsync(Responder responder) override {
    if (worker_ == nullptr) return responder.Send(Finish());
    Close(false);
    auto shared = std::make_shared<Responder>(std::move(responder));
    package::PackageIntake* intake = &intake_;
    std::string path = path_;
    absl::Status queued = worker_->TrySubmit([intake, path, shared, policy = policy_] {
      shared->Send(AcceptUpload(*intake, path, policy));
    });
    if (!queued.ok()) return shared->Send(ErrorResponse(queued));  // ~PackageSink unlinks
    path_.clear();                                                 // the job owns the file now
  }
  void Abort() override { Close(true); }

 private:
  void Close(bool remove) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (remove && !path_.empty()) ::unlink(path_.c_str());
  }
  package::PackageIntake& intake_;
  BlockingWorker* worker_;
  std::string path_;
  int fd_;
  std::shared_ptr<const package::TrustPolicy> policy_;  // the workspace's, or null
};

}  // namespace

void RegisterPackageRoutes(Router& router, package::PackageIntake& intake, BlockingWorker* worker,
                           store::WorkspaceStore* workspaces) {
  router.AddStream(
      "POST", "/api/ferry/v1/packages",
      [&intake, worker,
       workspaces](HttpRequest& req) -> std::variant<std::unique_ptr<BodySink>, HttpResponse> {
        std::shared_ptr<const package::TrustPolicy> policy;
        if (workspaces != nullptr) {
          auto found = WorkspaceTrustPolicy(*workspaces, req.workspace);
          if (!found.ok()) return ErrorResponse(found.status());
          policy = std::move(*found);
        }
        auto path = intake.NewUploadPath();
        if (!path.ok()) return ErrorResponse(path.status());
        int fd = ::open(path->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) return ErrorResponse(ErrnoStatus(errno, "create", *path));
        return std::make_unique<PackageSink>(intake, worker, *path, fd, std::move(policy));
      });
}

}  // namespace ferry::http
