#pragma once
// The routes of `ferry serve`, in one place so that a test can walk them against the access
// rules of `ferry serve --auth` (http/handlers/auth/serve_rules.h).

#include "cli/server/ui_flags.h"

namespace ferry::http {
class BlockingWorker;
class Router;
}  // namespace ferry::http
namespace ferry::serving {
class ServingService;
}

namespace ferry::app {

class DeploymentWatcher;
class LiveMonitoring;

struct ServeRouteParts {
  serving::ServingService* service = nullptr;
  http::BlockingWorker* worker = nullptr;  // large inference bodies, off the loops
  LiveMonitoring* monitoring = nullptr;    // null: --monitor off (no monitoring routes)
  DeploymentWatcher* watcher = nullptr;    // the canary share and the registry hook use it
  cli::UiFlags ui;
};

// OIP v2, MLflow scoring, /metrics, the UI, the deployment API, the registry hook and (with
// monitoring) the live monitoring API. Every part must outlive the router's server.
void AddServeRoutes(http::Router& router, const ServeRouteParts& parts);

}  // namespace ferry::app
