#pragma once
// The one mapping from absl::StatusCode to an HTTP status, used by every handler and by the
// server itself. Protocols differ only in the error body they wrap around it (MLflow's
// {"error_code", "message"}, OIP's {"error"}, the scoring server's), never in the status.
// A route that needs another status gets it from the code its service returns: a full queue
// is kUnavailable (503 + Retry-After), a passed deadline kDeadlineExceeded (504), a full disk
// or database kResourceExhausted (507, never 429, which MLflow's client retries).

#include <string>
#include <string_view>

#include "common/status.h"
#include "http/http_types.h"

namespace ferry::http {

// kInvalidArgument / kOutOfRange / kAlreadyExists / kFailedPrecondition 400,
// kUnauthenticated 401, kPermissionDenied 403, kNotFound 404, kAborted 409, kCancelled 499,
// kUnimplemented 501, kUnavailable 503, kDeadlineExceeded 504, kResourceExhausted 507,
// anything else (kInternal, kDataLoss, kUnknown) 500.
int HttpStatusFor(absl::StatusCode code);

// MLflow's error_code name for a canonical status code, e.g. kNotFound ->
// "RESOURCE_DOES_NOT_EXIST" (the MLflow error body's; also the server's own errors, such as a
// failed streaming upload).
const char* MlflowErrorCode(absl::StatusCode code);

// `message` fit for a response body: a server file path quoted in it ('/data/dir/name', as
// ErrnoStatus writes them) is cut to its last component, so no body reveals the data dir.
std::string PublicMessage(std::string_view message);

// A JSON error response with `http_status` and `body`; a 503 carries Retry-After: 1.
HttpResponse JsonError(int http_status, std::string body);

}  // namespace ferry::http
