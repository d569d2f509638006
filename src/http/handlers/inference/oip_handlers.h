#pragma once
// Open Inference Protocol v2 REST endpoints over an InferenceService:
//   GET  /v2                                  server metadata
//   GET  /v2/health/live, /v2/health/ready    200 {"live":true} / {"ready":true}, else 400
//   GET  /v2/models/{m}[/versions/{v}]        model metadata
//   GET  /v2/models/{m}[/versions/{v}]/ready  200 {"name","ready":true}, else 400
//   POST /v2/models/{m}[/versions/{v}]/infer  inference (JSON, or JSON + binary tensor data)
// Errors are {"error":"<message>"}: 400 bad request / kInvalidArgument, 404 unknown model,
// version or path, 405 wrong method, 503 (+ Retry-After: 1) kUnavailable, 504
// kDeadlineExceeded, 500 internal. Thread-safe: holds only references.

#include "common/clock.h"
#include "http/handlers/inference/serving_common.h"
#include "http/http_types.h"
#include "serving/inference_service.h"

namespace ferry::http {

// An OIP error answer {"error": message} with the status of HttpStatusFor(status.code()).
HttpResponse OipError(const absl::Status& status);
HttpResponse OipError(int http_status, std::string_view message);

class OipHandlers {
 public:
  OipHandlers(serving::InferenceService& service, Clock& clock)
      : service_(service), clock_(clock) {}

  HttpResponse ServerMetadata(HttpRequest& request);
  HttpResponse Live(HttpRequest& request);
  HttpResponse Ready(HttpRequest& request);
  // GET /v2/models/* (path_rest is "{m}[/versions/{v}][/ready]").
  HttpResponse ModelGet(HttpRequest& request);
  // POST /v2/models/* (path_rest is "{m}[/versions/{v}]/infer"). Calls `reply` once.
  void HandleInfer(HttpRequest& request, Reply reply);

 private:
  serving::InferenceService& service_;
  Clock& clock_;
};

}  // namespace ferry::http
