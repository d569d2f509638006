#pragma once
// absl::Status as MLflow's error body {"error_code": "...", "message": "..."} (style.md
// convention 3); the HTTP status comes from the one table in http/status_mapping.h.

#include <string_view>

#include "common/status.h"
#include "http/http_types.h"
#include "http/status_mapping.h"

namespace ferry::http {

HttpResponse ErrorResponse(const absl::Status& status);
// An error with an explicit MLflow code, e.g. ENDPOINT_NOT_FOUND.
HttpResponse ErrorResponse(int http_status, std::string_view error_code, std::string_view message);

}  // namespace ferry::http
