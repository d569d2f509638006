// MLflow's artifact download headers (Werkzeug's send_file Content-Disposition, the guessed
// type from mime_type.h) and single byte ranges.

#include "http/handlers/mlflow/artifact_response.h"

#include <unistd.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "common/strings.h"
#include "http/handlers/blocking_worker.h"
#include "http/handlers/error_response.h"
#include "http/handlers/mlflow/mime_type.h"
#include "http/offload/offload_sink.h"
#include "http/offload/offload_source.h"

namespace ferry::http {
namespace {

class BlobSource : public BodySource {
 public:
  explicit BlobSource(std::unique_ptr<store::BlobReader> reader) : reader_(std::move(reader)) {}
  // BodySource
  int64_t size() const override { return reader_->size(); }
  int fd() const override { return reader_->fd(); }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override { return reader_->Read(buf, n); }

 private:
  std::unique_ptr<store::BlobReader> reader_;
};

// Bytes [start, start + length) of a blob. The descriptor is moved to `start` for sendfile;
// Read() skips to `start` through the reader first.
class RangeSource : public BodySource {
 public:
  RangeSource(std::unique_ptr<store::BlobReader> reader, int64_t start, int64_t length)
      : reader_(std::move(reader)), start_(start), length_(length) {
    int fd = reader_->fd();
    seekable_ = fd >= 0 && ::lseek(fd, start, SEEK_SET) == start;
  }
  // BodySource
  int64_t size() const override { return length_; }
  int fd() const override { return seekable_ ? reader_->fd() : -1; }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    while (skipped_ < start_) {
      size_t want = static_cast<size_t>(std::min<int64_t>(start_ - skipped_, n));
      ASSIGN_OR_RETURN(size_t got, reader_->Read(buf, want));
      if (got == 0) return absl::DataLossError("artifact shorter than its index says");
      skipped_ += static_cast<int64_t>(got);
    }
    size_t want = static_cast<size_t>(std::min<int64_t>(length_ - sent_, n));
    if (want == 0) return 0;
    ASSIGN_OR_RETURN(size_t got, reader_->Read(buf, want));
    sent_ += static_cast<int64_t>(got);
    return got;
  }

 private:
  std::unique_ptr<store::BlobReader> reader_;
  int64_t start_, length_;
  int64_t skipped_ = 0, sent_ = 0;
  bool seekable_ = false;
};

struct ByteRange {
  bool satisfiable = true;
  int64_t start = 0, length = 0;
};

std::optional<int64_t> ParseOffset(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// One "bytes=a-b", "bytes=a-" or "bytes=-n" range (RFC 9110 14.1.2). nullopt, meaning "send
// the whole file", for anything else: a malformed value or several ranges.
std::optional<ByteRange> ParseRange(std::string_view value, int64_t size) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  value = trim(value);
  if (value.size() < 6 || ToLower(value.substr(0, 6)) != "bytes=") return std::nullopt;
  std::string_view spec = trim(value.substr(6));
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<int64_t> first = ParseOffset(trim(spec.substr(0, dash)));
  std::optional<int64_t> last = ParseOffset(trim(spec.substr(dash + 1)));
  ByteRange r;
  if (!first) {  // a suffix: the last n bytes
    if (!last) return std::nullopt;
    if (*last == 0 || size == 0) return ByteRange{false};
    r.start = size - std::min(*last, size);
  } else {
    if (last && *last < *first) return std::nullopt;
    if (*first >= size) return ByteRange{false};
    r.start = *first;
  }
  int64_t end = first && last ? std::min(*last, size - 1) : size - 1;
  r.length = end - r.start + 1;
  return r;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool IsTokenChar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::string AttachmentDisposition(std::string_view filename) {
  bool ascii = true;
  std::string simple;  // Werkzeug keeps the ASCII part (after NFKD, which is not done here)
  for (unsigned char c : filename) {
    if (c >= 0x80) {
      ascii = false;
      continue;
    }
    simple += (c < 0x20 || c == 0x7f) ? '_' : static_cast<char>(c);
  }
  bool token = !simple.empty();
  for (unsigned char c : simple) token = token && IsTokenChar(c);
  std::string out = "attachment; filename=";
  if (token) {
    out += simple;
  } else {
    out += '"';
    for (char c : simple) {
      if (c == '\\' || c == '"') out += '\\';
      out += c;
    }
    out += '"';
  }
  if (!ascii) {
    out += "; filename*=UTF-8''" + PercentEncode(filename, "!#$&+-.^_`|~");
  }
  return out;
}

HttpResponse ArtifactFileResponse(tracking::ArtifactDownload download, std::string_view path,
                                  const HttpRequest& request) {
  HttpResponse resp;
  resp.content_type = GuessMimeType(path);
  resp.headers.emplace_back("Content-Disposition", AttachmentDisposition(BaseName(path)));
  resp.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // Opened on its own (not through the UI), an HTML artifact still gets no script origin.
  resp.headers.emplace_back("Content-Security-Policy", "sandbox");
  resp.headers.emplace_back("Accept-Ranges", "bytes");
  const int64_t size = download.reader->size();
  const std::string* range_header = request.Header("range");
  std::optional<ByteRange> range;
  // If-Range names a version this server cannot compare: the whole file, as RFC 9110 says.
  if (range_header != nullptr && request.Header("if-range") == nullptr) {
    range = ParseRange(*range_header, size);
  }
  if (range && !range->satisfiable) {
    resp.status = 416;
    resp.content_type = "text/plain";
    resp.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
    return resp;
  }
  if (range) {
    resp.status = 206;
    resp.headers.emplace_back("Content-Range",
                              "bytes " + std::to_string(range->start) + "-" +
                                  std::to_string(range->start + range->length - 1) + "/" +
                                  std::to_string(size));
    resp.source =
        std::make_unique<RangeSource>(std::move(download.reader), range->start, range->length);
    return resp;
  }
  resp.source = std::make_unique<BlobSource>(std::move(download.reader));
  return resp;
}

JobRunner RunOn(BlockingWorker& worker) {
  return [&worker](std::function<void()> job) { return worker.TrySubmit(std::move(job)); };
}

void OffloadDownload(HttpResponse& response, BlockingWorker* worker) {
  if (worker == nullptr || !response.source || response.source->fd() >= 0) return;
  response.source = std::make_unique<OffloadSource>(std::move(response.source), RunOn(*worker));
}

void AddStoreRoute(Router& router, const std::string& method, const std::string& path,
                   BlockingWorker* worker, Handler handler) {
  if (worker == nullptr) return router.Add(method, path, std::move(handler));
  router.AddAsync(method, path, [worker, handler](HttpRequest& req, Responder responder) {
    auto request = std::make_shared<HttpRequest>(req);  // the handler reads it on the worker
    auto answer = std::make_shared<Responder>(std::move(responder));
    absl::Status submitted = worker->TrySubmit([worker, handler, request, answer] {
      HttpResponse response = handler(*request);
      OffloadDownload(response, worker);
      answer->Send(std::move(response));
    });
    if (!submitted.ok()) answer->Send(ErrorResponse(submitted));
  });
}

std::unique_ptr<BodySink> OffloadUpload(std::unique_ptr<BodySink> sink, BlockingWorker* worker) {
  if (worker == nullptr) return sink;
  return std::make_unique<OffloadSink>(std::move(sink), RunOn(*worker));
}

bool IsPackagePath(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return path == "packages" || StartsWith(path, "packages/");
}

HttpResponse PackagesAreReadOnly() {
  return ErrorResponse(absl::PermissionDeniedError(
      "artifacts under packages/ are written only by POST /api/ferry/v1/packages "
      "(`ferry models register NAME --package DIR`), which verifies them first"));
}

}  // namespace ferry::http
