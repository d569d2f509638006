#pragma once
// The one place where absl::Status becomes an HTTP status and MLflow error body
// {"error_code": "...", "message": "..."} (style.md convention 3).

#include <string_view>

#include "common/status.h"
#include "http/http_types.h"

namespace ferry::http {

// MLflow's error_code name for a canonical status code, e.g. kNotFound ->
// "RESOURCE_DOES_NOT_EXIST".
const char* MlflowErrorCode(absl::StatusCode code);
// HTTP status for a canonical code (400, 404, 409, 429, 500, 501, 503, ...).
int HttpStatusFor(absl::StatusCode code);
HttpResponse ErrorResponse(const absl::Status& status);
// An error with an explicit MLflow code, e.g. ENDPOINT_NOT_FOUND.
HttpResponse ErrorResponse(int http_status, std::string_view error_code, std::string_view message);

}  // namespace ferry::http
