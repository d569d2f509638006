// GET /api/ferry/v1/runs/export.csv: every run a search matches as CSV (tracking/runs_csv.h),
// written to an unlinked temp file on a blocking worker (off the event loop), then sent from
// it as an attachment.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "common/fs.h"
#include "http/handlers/blocking_worker.h"
#include "http/handlers/error_response.h"
#include "http/handlers/handler_util.h"
#include "http/handlers/mlflow/tracking_handlers.h"
#include "tracking/runs_csv.h"

namespace ferry::http {
namespace {

class FileSource : public BodySource {
 public:
  FileSource(Fd fd, int64_t size) : fd_(std::move(fd)), size_(size) {}
  int64_t size() const override { return size_; }
  int fd() const override { return fd_.get(); }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    const ssize_t got = ::read(fd_.get(), buf, n);
    if (got < 0) return absl::InternalError("reading the export failed");
    return static_cast<size_t>(got);
  }

 private:
  Fd fd_;
  int64_t size_;
};

absl::StatusOr<tracking::SearchRunsRequest> ReadQuery(const HttpRequest& req) {
  ASSIGN_OR_RETURN(RequestArgs a, RequestArgs::FromRequest(req));
  tracking::SearchRunsRequest q;
  ASSIGN_OR_RETURN(q.experiment_ids, a.StringList("experiment_ids"));
  ASSIGN_OR_RETURN(auto filter, a.String("filter"));
  ASSIGN_OR_RETURN(q.order_by, a.StringList("order_by"));
  ASSIGN_OR_RETURN(q.view_type, ReadViewType(a, "run_view_type"));
  q.filter = filter.value_or("");
  return q;
}

HttpResponse Export(tracking::TrackingService& t, const tracking::SearchRunsRequest& q) {
  std::string path;
  const char* tmp = std::getenv("TMPDIR");
  absl::StatusOr<Fd> fd = MakeTempFile(tmp && *tmp ? tmp : "/tmp", &path);
  if (!fd.ok()) return ErrorResponse(fd.status());
  ::unlink(path.c_str());  // the descriptor keeps it until sent
  absl::StatusOr<int64_t> size = tracking::ExportRunsCsv(t, q, fd->get());
  if (!size.ok()) return ErrorResponse(size.status());
  if (::lseek(fd->get(), 0, SEEK_SET) != 0) {
    return ErrorResponse(absl::InternalError("rewinding the export failed"));
  }
  HttpResponse r;
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"runs.csv\"");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.source = std::make_unique<FileSource>(*std::move(fd), *size);
  return r;
}

}  // namespace

void RegisterRunsExportRoute(Router& router, tracking::TrackingService& t, BlockingWorker& worker) {
  router.AddAsync("GET", "/api/ferry/v1/runs/export.csv",
                  [&t, &worker](HttpRequest& req, Responder responder) {
                    absl::StatusOr<tracking::SearchRunsRequest> q = ReadQuery(req);
                    if (!q.ok()) return responder.Send(ErrorResponse(q.status()));
                    auto shared = std::make_shared<Responder>(std::move(responder));
                    absl::Status queued = worker.TrySubmit(
                        [&t, query = *std::move(q), shared] { shared->Send(Export(t, query)); });
                    if (!queued.ok()) shared->Send(ErrorResponse(queued));
                  });
}

}  // namespace ferry::http
