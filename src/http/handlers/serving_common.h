#pragma once
// Pieces shared by the inference endpoints (OIP, MLflow scoring): deferred replies, the
// Status -> HTTP status mapping of inference errors, and request deadlines.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "http/http_types.h"
#include "http/router.h"

namespace ferry::http {

// Answers a request exactly once, maybe later and from another thread.
using Reply = std::function<void(HttpResponse)>;
// A handler that answers through `reply`. It must move what it needs out of the request
// before returning: the request may be gone when the reply is sent.
using DeferredHandler = std::function<void(HttpRequest&, Reply)>;

// Registers a deferred handler. Until the server has deferred responses this waits on the
// loop thread for the reply (immediate when the service completes inline).
void AddDeferredRoute(Router& router, std::string_view method, std::string_view pattern,
                      DeferredHandler handler);

// HTTP status of an inference error: kInvalidArgument / kOutOfRange / kFailedPrecondition /
// kAlreadyExists / kCancelled / kUnknown 400 (as Triton), kNotFound 404, kUnimplemented 501,
// kUnavailable / kResourceExhausted 503, kDeadlineExceeded 504, anything else 500.
int InferenceHttpStatus(absl::StatusCode code);

// A JSON error response; 503s carry Retry-After: 1.
HttpResponse InferenceError(int status, std::string body);

// CLOCK_MONOTONIC milliseconds (the InferRequest::deadline_ms clock).
int64_t MonotonicMillis(Clock& clock);

// The request's deadline from `timeout_us` (0: none) and the Ferry-Timeout-Ms header,
// whichever is earlier; 0 when neither is set. kInvalidArgument for a malformed header.
absl::StatusOr<int64_t> RequestDeadlineMs(const HttpRequest& request, int64_t timeout_us,
                                          Clock& clock);

}  // namespace ferry::http
