#pragma once
// Pieces shared by the inference endpoints (OIP, MLflow scoring): deferred replies and
// request deadlines. Their errors take the HTTP status from http/status_mapping.h.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "http/handlers/blocking_worker.h"
#include "http/http_types.h"
#include "http/router.h"
#include "http/status_mapping.h"

namespace ferry::http {

// Answers a request exactly once, maybe later and from another thread.
using Reply = std::function<void(HttpResponse)>;
// A handler that answers through `reply`. It must move what it needs out of the request
// before returning: the request may be gone when the reply is sent.
using DeferredHandler = std::function<void(HttpRequest&, Reply)>;

// Request bodies larger than this are decoded and run on a worker, off the event loop (a
// 50 MB JSON body takes a second to decode).
inline constexpr size_t kOffLoopBodyBytes = size_t{1} << 20;

// Registers a deferred handler. With a `worker`, a request whose body exceeds
// kOffLoopBodyBytes is handled on it instead of the loop thread (the handler gets a copy of
// the request with the body moved in); when the worker's queue is full the request is
// answered busy(kUnavailable), a 503 + Retry-After in the protocol's error shape.
using ErrorReply = std::function<HttpResponse(const absl::Status&)>;
void AddDeferredRoute(Router& router, std::string_view method, std::string_view pattern,
                      DeferredHandler handler, BlockingWorker* worker = nullptr,
                      ErrorReply busy = nullptr);

// CLOCK_MONOTONIC milliseconds (the InferRequest::deadline_ms clock).
int64_t MonotonicMillis(Clock& clock);

// The request's deadline from `timeout_us` (0: none) and the Ferry-Timeout-Ms header,
// whichever is earlier; 0 when neither is set. kInvalidArgument for a malformed header.
absl::StatusOr<int64_t> RequestDeadlineMs(const HttpRequest& request, int64_t timeout_us,
                                          Clock& clock);

}  // namespace ferry::http
