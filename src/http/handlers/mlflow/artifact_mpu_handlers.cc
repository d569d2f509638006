// MLflow's multipart upload through the artifact proxy (MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD):
//   POST .../mlflow-artifacts/mpu/create/<dir>    {path, num_parts} -> {upload_id, credentials}
//   PUT  .../mlflow-artifacts/mpu/upload/<dir>/<name>?upload_id=&part_number=   (one part)
//   POST .../mlflow-artifacts/mpu/complete/<dir>  {path, upload_id, parts[{part_number, etag}]}
//   POST .../mlflow-artifacts/mpu/abort/<dir>     {path, upload_id}
// The file is <dir>/<basename of path>, as MLflow's S3 repository names it. MLflow's server
// hands out presigned S3 URLs; Ferry hands out its own part URLs (the "upload" route), so the
// client needs no route to the bucket and the parts still land in an S3 multipart upload.
// On complete the object is hashed and kept under its digest like any upload. A store
// without parts (the file store) answers MLflow's 501 NOT_IMPLEMENTED, on which MLflow's
// client falls back to one PUT. Every S3 call runs on the artifact worker.

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "common/json_writer.h"
#include "common/logging.h"
#include "common/strings.h"
#include "http/handlers/blocking_worker.h"
#include "http/handlers/error_response.h"
#include "http/handlers/mlflow/artifact_response.h"
#include "http/handlers/mlflow/tracking_handlers.h"
#include "http/handlers/request_args.h"
#include "http/query.h"

namespace ferry::http {
namespace {

// A part is held in memory until it is sent to S3 whole (S3's UploadPart needs its length).
constexpr int64_t kMaxPartBytes = int64_t{64} << 20;
constexpr int64_t kMaxParts = 10000;

std::string BaseName(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// <dir>/<basename of the client's local path>.
absl::StatusOr<std::string> FilePath(const HttpRequest& req, const RequestArgs& args) {
  ASSIGN_OR_RETURN(std::string local, args.RequiredString("path"));
  std::string name = BaseName(local);
  if (name.empty()) return absl::InvalidArgumentError("Invalid path '" + local + "'");
  std::string dir = req.path_rest;
  while (!dir.empty() && dir.back() == '/') dir.pop_back();
  // The directory names the experiment whose permission the upload takes (access_rules.cc).
  if (dir.empty()) return absl::InvalidArgumentError("a multipart upload needs a directory");
  std::string path = dir + "/" + name;
  if (IsPackagePath(path))
    return absl::PermissionDeniedError("artifacts under packages/ are read-only");
  return path;
}

using Job = std::function<HttpResponse()>;

// Answers `job`'s error at once, or runs the job (blocking store calls) on the worker, or
// here without one (the file store, whose answers are immediate).
void Run(BlockingWorker* worker, Responder responder, absl::StatusOr<Job> job) {
  if (!job.ok()) return responder.Send(ErrorResponse(job.status()));
  if (worker == nullptr) return responder.Send((*job)());
  auto shared = std::make_shared<Responder>(std::move(responder));
  absl::Status submitted =
      worker->TrySubmit([shared, job = *std::move(job)] { shared->Send(job()); });
  if (!submitted.ok()) shared->Send(ErrorResponse(submitted));
}

// "http://HOST/api/2.0" as the client reached this server (https behind a proxy that says so).
std::string ApiOrigin(const HttpRequest& req, std::string_view api) {
  const std::string* host = req.Header("host");
  const std::string* proto = req.Header("x-forwarded-proto");
  std::string scheme = proto != nullptr && *proto == "https" ? "https" : "http";
  return StrCat(scheme, "://", host != nullptr ? *host : std::string("localhost"), api);
}

std::string PartUrl(const std::string& origin, const std::string& path,
                    const std::string& upload_id, int64_t part) {
  return StrCat(origin, "/mlflow-artifacts/mpu/upload/", PercentEncode(path, "/-._~"),
                "?upload_id=", PercentEncode(upload_id, "-._~"), "&part_number=", part);
}

absl::StatusOr<Job> Create(tracking::ArtifactService& artifacts, const std::string& api,
                           const HttpRequest& req) {
  ASSIGN_OR_RETURN(RequestArgs args, RequestArgs::FromRequest(req));
  ASSIGN_OR_RETURN(std::string path, FilePath(req, args));
  ASSIGN_OR_RETURN(std::optional<int64_t> num_parts, args.Int64("num_parts"));
  const int64_t parts = num_parts.value_or(1);
  if (parts < 1 || parts > kMaxParts) {
    return absl::InvalidArgumentError(
        StrCat("num_parts must be between 1 and ", kMaxParts, ", got ", parts));
  }
  return [&artifacts, origin = ApiOrigin(req, api), path, parts] {
    auto id = artifacts.StartMultipart(path);
    if (!id.ok()) return ErrorResponse(id.status());
    std::string body;
    JsonWriter w(&body);
    w.BeginObject().Field("upload_id", *id).Key("credentials").BeginArray();
    for (int64_t i = 1; i <= parts; ++i) {
      w.BeginObject()
          .Field("url", PartUrl(origin, path, *id, i))
          .Field("part_number", i)
          .Key("headers")
          .BeginObject()
          .EndObject()
          .EndObject();
    }
    w.EndArray().EndObject();
    return HttpResponse::Json(200, std::move(body));
  };
}

absl::StatusOr<Job> Complete(tracking::ArtifactService& artifacts, const HttpRequest& req) {
  ASSIGN_OR_RETURN(RequestArgs args, RequestArgs::FromRequest(req));
  ASSIGN_OR_RETURN(std::string path, FilePath(req, args));
  ASSIGN_OR_RETURN(std::string upload_id, args.RequiredString("upload_id"));
  ASSIGN_OR_RETURN(std::vector<const JsonValue*> parts, args.ObjectList("parts"));
  std::vector<std::pair<int64_t, std::string>> numbered;
  for (const JsonValue* part : parts) {
    auto number = JsonInt64(*part, "part_number");
    auto etag = JsonString(*part, "etag");
    if (!number.ok() || !etag.ok() || !*number || !*etag) {
      return absl::InvalidArgumentError("each of 'parts' needs a part_number and an etag");
    }
    numbered.emplace_back(**number, **etag);
  }
  std::sort(numbered.begin(), numbered.end());
  std::vector<std::string> etags;
  for (size_t i = 0; i < numbered.size(); ++i) {
    if (numbered[i].first != static_cast<int64_t>(i) + 1) {
      return absl::InvalidArgumentError(
          StrCat("parts must be numbered 1 to ", numbered.size(), " without gaps"));
    }
    etags.push_back(std::move(numbered[i].second));
  }
  return [&artifacts, path, upload_id, etags = std::move(etags)] {
    auto info = artifacts.CompleteMultipart(path, upload_id, etags);
    if (!info.ok()) return ErrorResponse(info.status());
    return HttpResponse::Json(200, "{}");
  };
}

absl::StatusOr<Job> Abort(tracking::ArtifactService& artifacts, const HttpRequest& req) {
  ASSIGN_OR_RETURN(RequestArgs args, RequestArgs::FromRequest(req));
  RETURN_IF_ERROR(FilePath(req, args).status());
  ASSIGN_OR_RETURN(std::string upload_id, args.RequiredString("upload_id"));
  return [&artifacts, upload_id] {
    absl::Status st = artifacts.AbortMultipart(upload_id);
    if (absl::IsUnimplemented(st) || absl::IsInvalidArgument(st)) return ErrorResponse(st);
    // Some S3 servers refuse AbortMultipartUpload (s3rver: 405). The parts stay until the
    // bucket's AbortIncompleteMultipartUpload rule removes them; the client's abort is
    // cleanup after a failure, so it is not failed a second time.
    if (!st.ok()) LogWarn("multipart upload not aborted", {{"error", StatusMessage(st)}});
    return HttpResponse::Json(200, "{}");
  };
}

// One part, held in memory (at most kMaxPartBytes) and sent to the store at the end; the
// answer carries its ETag, which the client sends back in mpu/complete.
class PartSink : public BodySink {
 public:
  PartSink(tracking::ArtifactService& artifacts, std::string upload_id, int part)
      : artifacts_(artifacts), upload_id_(std::move(upload_id)), part_(part) {}
  absl::Status Write(std::string_view chunk) override {
    if (static_cast<int64_t>(bytes_.size() + chunk.size()) > kMaxPartBytes) {
      return absl::InvalidArgumentError(
          StrCat("a part may hold at most ", kMaxPartBytes,
                 " bytes; set MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE lower"));
    }
    bytes_.append(chunk);
    return absl::OkStatus();
  }
  HttpResponse Finish() override {
    auto etag = artifacts_.UploadPart(upload_id_, part_, bytes_);
    if (!etag.ok()) return ErrorResponse(etag.status());
    HttpResponse response = HttpResponse::Json(200, "{}");
    response.headers.emplace_back("ETag", *etag);
    return response;
  }
  void Abort() override {}

 private:
  tracking::ArtifactService& artifacts_;
  const std::string upload_id_;
  const int part_;
  std::string bytes_;
};

std::variant<std::unique_ptr<BodySink>, HttpResponse> UploadPart(
    tracking::ArtifactService& artifacts, BlockingWorker* worker, HttpRequest& req) {
  auto query = ParseQuery(req.query);
  if (!query.ok()) return ErrorResponse(query.status());
  const std::string* id = query->Get("upload_id");
  const std::string* number = query->Get("part_number");
  int part = 0;
  if (number != nullptr) part = std::atoi(number->c_str());
  if (id == nullptr || id->empty() || part < 1 || part > kMaxParts) {
    return ErrorResponse(absl::InvalidArgumentError(
        "a part upload needs upload_id and a part_number between 1 and 10000"));
  }
  return OffloadUpload(std::make_unique<PartSink>(artifacts, *id, part), worker);
}

}  // namespace

void RegisterMultipartUploadRoutes(Router& router, tracking::ArtifactService& artifacts,
                                   BlockingWorker* worker) {
  for (std::string api : {"/api/2.0", "/ajax-api/2.0"}) {
    const std::string base = api + "/mlflow-artifacts/mpu/";
    router.AddAsync("POST", base + "create/*",
                    [&artifacts, worker, api](HttpRequest& req, Responder responder) {
                      Run(worker, std::move(responder), Create(artifacts, api, req));
                    });
    router.AddAsync("POST", base + "complete/*",
                    [&artifacts, worker](HttpRequest& req, Responder responder) {
                      Run(worker, std::move(responder), Complete(artifacts, req));
                    });
    router.AddAsync("POST", base + "abort/*",
                    [&artifacts, worker](HttpRequest& req, Responder responder) {
                      Run(worker, std::move(responder), Abort(artifacts, req));
                    });
    router.AddStream("PUT", base + "upload/*", [&artifacts, worker](HttpRequest& req) {
      return UploadPart(artifacts, worker, req);
    });
  }
}

}  // namespace ferry::http
