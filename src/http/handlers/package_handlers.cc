#include "http/handlers/package_handlers.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "common/fs.h"
#include "common/json_writer.h"
#include "http/handlers/error_response.h"
#include "package/file_io.h"

namespace ferry::http {
namespace {

// Streams the uploaded tar to a file in the intake's work directory, then accepts it.
class PackageSink : public BodySink {
 public:
  PackageSink(package::PackageIntake& intake, std::string path, int fd)
      : intake_(intake), path_(std::move(path)), fd_(fd) {}
  ~PackageSink() override { Close(true); }

  absl::Status Write(std::string_view chunk) override {
    return package::WriteAll(fd_, chunk, path_);
  }
  HttpResponse Finish() override {
    Close(false);
    auto accepted = intake_.Accept(path_);
    ::unlink(path_.c_str());
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
  void Abort() override { Close(true); }

 private:
  void Close(bool remove) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (remove) ::unlink(path_.c_str());
  }
  package::PackageIntake& intake_;
  std::string path_;
  int fd_;
};

}  // namespace

void RegisterPackageRoutes(Router& router, package::PackageIntake& intake) {
  router.AddStream(
      "POST", "/api/ferry/v1/packages",
      [&intake](HttpRequest&) -> std::variant<std::unique_ptr<BodySink>, HttpResponse> {
        auto path = intake.NewUploadPath();
        if (!path.ok()) return ErrorResponse(path.status());
        int fd = ::open(path->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) return ErrorResponse(ErrnoStatus(errno, "create", *path));
        return std::make_unique<PackageSink>(intake, *path, fd);
      });
}

}  // namespace ferry::http
