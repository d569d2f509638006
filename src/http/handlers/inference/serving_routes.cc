#include "http/handlers/inference/serving_routes.h"

#include <memory>

#include "http/handlers/inference/invocations_handlers.h"
#include "http/handlers/inference/oip_handlers.h"
#include "http/handlers/inference/serving_common.h"

namespace ferry::http {

void AddServingRoutes(Router& router, serving::InferenceService& service, Clock& clock,
                      bool health_and_version, BlockingWorker* worker) {
  // The server's own errors under /v2 (413 body too large, 401 and 403 of --auth) take OIP's
  // shape.
  router.SetErrorFormat(
      "/v2", [](int status, std::string_view message) { return OipError(status, message); });
  auto oip = std::make_shared<OipHandlers>(service, clock);
  router.Add("GET", "/v2", [oip](HttpRequest& r) { return oip->ServerMetadata(r); });
  router.Add("GET", "/v2/health/live", [oip](HttpRequest& r) { return oip->Live(r); });
  router.Add("GET", "/v2/health/ready", [oip](HttpRequest& r) { return oip->Ready(r); });
  router.Add("GET", "/v2/models/*", [oip](HttpRequest& r) { return oip->ModelGet(r); });
  AddDeferredRoute(
      router, "POST", "/v2/models/*",
      [oip](HttpRequest& r, Reply reply) { oip->HandleInfer(r, std::move(reply)); }, worker,
      [](const absl::Status& s) { return OipError(s); });

  auto mlflow = std::make_shared<InvocationsHandlers>(service, clock);
  router.Add("GET", "/ping", [mlflow](HttpRequest& r) { return mlflow->Ping(r); });
  if (health_and_version) {
    router.Add("GET", "/health", [mlflow](HttpRequest& r) { return mlflow->Ping(r); });
    router.Add("GET", "/version", [mlflow](HttpRequest& r) { return mlflow->Version(r); });
  }
  AddDeferredRoute(
      router, "POST", "/invocations",
      [mlflow](HttpRequest& r, Reply reply) { mlflow->HandleInvocations(r, std::move(reply)); },
      worker, ScoringError);

  router.Add("GET", "/metrics", [&service](HttpRequest&) {
    return HttpResponse::Text(200, service.RenderMetrics(), "text/plain; version=0.0.4");
  });
}

}  // namespace ferry::http
