#include "http/handlers/serving_common.h"

#include <algorithm>
#include <charconv>
#include <memory>

namespace ferry::http {

void AddDeferredRoute(Router& router, std::string_view method, std::string_view pattern,
                      DeferredHandler handler) {
  router.AddAsync(
      method, pattern, [handler = std::move(handler)](HttpRequest& request, Responder responder) {
        // Reply is copyable; the Responder is not.
        auto shared = std::make_shared<Responder>(std::move(responder));
        handler(request, [shared](HttpResponse response) { shared->Send(std::move(response)); });
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
