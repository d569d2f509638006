#include "http/handlers/inference/serving_common.h"

#include <algorithm>
#include <charconv>
#include <memory>

namespace ferry::http {

namespace {

// What a handler may read of a request, with the body moved out of `request`.
std::shared_ptr<HttpRequest> Detach(HttpRequest& request) {
  auto copy = std::make_shared<HttpRequest>();
  copy->method = request.method;
  copy->target = request.target;
  copy->path = request.path;
  copy->query = request.query;
  copy->headers = request.headers;
  copy->request_id = request.request_id;
  copy->path_rest = request.path_rest;
  copy->body = std::move(request.body);
  return copy;
}

}  // namespace

void AddDeferredRoute(Router& router, std::string_view method, std::string_view pattern,
                      DeferredHandler handler, BlockingWorker* worker, ErrorReply busy) {
  router.AddAsync(
      method, pattern,
      [handler = std::move(handler), worker, busy = std::move(busy)](HttpRequest& request,
                                                                     Responder responder) {
        // Reply is copyable; the Responder is not.
        auto shared = std::make_shared<Responder>(std::move(responder));
        Reply reply = [shared](HttpResponse response) { shared->Send(std::move(response)); };
        if (worker == nullptr || request.body.size() <= kOffLoopBodyBytes) {
          return handler(request, std::move(reply));
        }
        std::shared_ptr<HttpRequest> detached = Detach(request);
        absl::Status queued =
            worker->TrySubmit([handler, detached, reply] { handler(*detached, reply); });
        if (!queued.ok()) reply(busy ? busy(queued) : JsonError(503, "{}"));
      });
}

int64_t MonotonicMillis(Clock& clock) { return clock.MonotonicNanos() / 1000000; }

absl::StatusOr<int64_t> RequestDeadlineMs(const HttpRequest& request, int64_t timeout_us,
                                          Clock& clock) {
  // Longer timeouts are capped so that the deadline cannot overflow.
  constexpr int64_t kMaxTimeoutMs = int64_t{365} * 24 * 3600 * 1000;
  int64_t timeout_ms = timeout_us / 1000 + (timeout_us % 1000 != 0 ? 1 : 0);
  if (const std::string* h = request.Header("ferry-timeout-ms")) {
    int64_t ms = 0;
    auto r = std::from_chars(h->data(), h->data() + h->size(), ms);
    if (h->empty() || r.ec != std::errc() || r.ptr != h->data() + h->size() || ms <= 0) {
      return absl::InvalidArgumentError("Ferry-Timeout-Ms must be a positive integer");
    }
    if (timeout_ms == 0 || ms < timeout_ms) timeout_ms = ms;
  }
  if (timeout_ms <= 0) return 0;
  return std::min(timeout_ms, kMaxTimeoutMs) + MonotonicMillis(clock);
}

}  // namespace ferry::http
