#include "app/serve_routes.h"

#include <string>

#include "app/deploy/deployed_models.h"
#include "app/deploy/deployment_watcher.h"
#include "app/monitoring/live_monitoring.h"
#include "common/clock.h"
#include "http/handlers/inference/deployment_handlers.h"
#include "http/handlers/inference/serving_routes.h"
#include "http/handlers/monitoring/monitoring_handlers.h"
#include "http/handlers/ui/ui_routes.h"
#include "http/router.h"
#include "serving/serving_service.h"

namespace ferry::app {

void AddServeRoutes(http::Router& router, const ServeRouteParts& parts) {
  LiveMonitoring* monitoring = parts.monitoring;
  DeploymentWatcher* watcher = parts.watcher;
  if (monitoring != nullptr) {
    http::RegisterMonitoringRoutes(router, *monitoring, monitoring->labels_worker());
  }
  http::AddServingRoutes(router, *parts.service, SystemClock(), true, parts.worker);
  http::RegisterUiRoutes(router, {parts.ui.enabled, parts.ui.dir});
  http::AddDeploymentRoutes(
      router, parts.service->manager(), SystemClock(),
      [watcher](const std::string& name, int percent) {
        return watcher->SetCanaryPercent(name, percent);
      },
      [monitoring](const std::string& name) { return MonitoringEntryJson(monitoring, name); });
  router.Add("POST", "/api/ferry/v1/hooks/registry", [watcher](http::HttpRequest&) {
    watcher->OnRegistryChange();
    return http::HttpResponse::Json(200, "{}");
  });
}

}  // namespace ferry::app
