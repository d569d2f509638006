#pragma once
// The MLflow scoring server's endpoints (`mlflow models serve`) over an InferenceService:
//   GET  /ping, /health   200 "\n" (application/json) when the service is ready, else 404
//   GET  /version         "ferry <version>"
//   POST /invocations     JSON (application/json, charset utf-8 only) or CSV (text/csv)
// /invocations scores the only deployment; with several, the client names one in the
// Ferry-Model header (400 otherwise). Errors are {"error_code","message"}: 400 BAD_REQUEST,
// 404 RESOURCE_DOES_NOT_EXIST, 415 (text/plain) for another content type, 503 (+ Retry-After:
// 1) TEMPORARILY_UNAVAILABLE, 504 "Request processing time exceeded limit", 500
// INTERNAL_ERROR. Thread-safe: holds only references.

#include "common/clock.h"
#include "http/handlers/inference/serving_common.h"
#include "http/http_types.h"
#include "serving/inference_service.h"

namespace ferry::http {

// A scoring-server error answer {"error_code", "message"} with the status of
// HttpStatusFor(status.code()).
HttpResponse ScoringError(const absl::Status& status);

class InvocationsHandlers {
 public:
  InvocationsHandlers(serving::InferenceService& service, Clock& clock)
      : service_(service), clock_(clock) {}

  HttpResponse Ping(HttpRequest& request);
  HttpResponse Version(HttpRequest& request);
  // POST /invocations. Calls `reply` once.
  void HandleInvocations(HttpRequest& request, Reply reply);

 private:
  // The deployment to score, from Ferry-Model or the only one loaded.
  absl::StatusOr<std::string> PickModel(const HttpRequest& request) const;

  serving::InferenceService& service_;
  Clock& clock_;
};

}  // namespace ferry::http
