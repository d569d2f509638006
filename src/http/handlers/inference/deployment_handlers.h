#pragma once
// Ferry's deployment API, beside the inference protocols: what each deployment serves and
// how each of its arms (primary, challenger) is doing, and the canary share.
//
//   GET  /api/ferry/v1/deployments              {"deployments": [DEPLOYMENT, ...]}
//   GET  /api/ferry/v1/deployments/NAME         DEPLOYMENT (404 RESOURCE_DOES_NOT_EXIST)
//   POST /api/ferry/v1/deployments/NAME/canary  {"percent": 0-100} -> DEPLOYMENT
//
// DEPLOYMENT = {"name", "primary": ARM | null, "challenger": ARM | null, "monitoring": OBJ |
// null, "last_error": FAILURE | null} (OBJ: the live monitoring entry of the deployment, which
// watches the primary: its version, alerts and last window, as GET
// /api/ferry/v1/monitoring/deployments; FAILURE = {"arm" ("primary" | "challenger"),
// "version", "message", "at_ms"}: the latest load that failed, until that arm loads) where a
// challenger ARM also has "mode" ("canary" | "shadow") and "percent". ARM = {"model", "version",
// "state", "loaded_at_ms", "seconds_loaded", "requests", "errors", "error_rate", "p50_ms",
// "p99_ms"}: figures since this arm was loaded (a swap starts a fresh arm).

#include <functional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "http/router.h"
#include "serving/model_manager.h"

namespace ferry::http {

// Sets the canary share of a deployment's challenger (kept for later loads); null when the
// server has no such control (the POST answers 501).
using CanaryPercentSetter = std::function<absl::Status(const std::string& deployment, int)>;

// The live monitoring entry of a deployment as JSON, "" when it has none; may be null.
using MonitoringEntry = std::function<std::string(const std::string& deployment)>;

// `manager` and `clock` must outlive the router.
void AddDeploymentRoutes(Router& router, const serving::ModelManager& manager, Clock& clock,
                         CanaryPercentSetter set_percent, MonitoringEntry monitoring = {});

// One deployment as JSON (the GET answer), at wall-clock `now_ms`; `monitoring` as above.
std::string DeploymentJson(const serving::Deployment& deployment, int64_t now_ms,
                           const std::string& monitoring = "");

}  // namespace ferry::http
