#pragma once
// Route registration for MLflow's model registry API (registered-models/*, model-versions/*)
// and Ferry's webhook API (/api/ferry/v1/webhooks). app/ calls these once at start-up.

#include "http/handlers/request_args.h"
#include "http/router.h"
#include "registry/registry_service.h"
#include "registry/webhook_service.h"

namespace ferry::http {

void RegisterRegisteredModelRoutes(Router& router, registry::RegistryService& registry);
void RegisterModelVersionRoutes(Router& router, registry::RegistryService& registry);
void RegisterWebhookRoutes(Router& router, registry::WebhookService& webhooks);

// The fields of registered-models/search and model-versions/search (filter, order_by,
// max_results, page_token) and the caller's scope.
absl::StatusOr<registry::SearchRegistryRequest> ReadRegistrySearch(const HttpRequest& http,
                                                                   const RequestArgs& a);

}  // namespace ferry::http
