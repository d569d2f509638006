#pragma once
// Ferry's deployment API, beside the inference protocols: what each deployment serves and
// how each of its arms (primary, challenger) is doing, and the canary share.
//
//   GET  /api/ferry/v1/deployments              {"deployments": [DEPLOYMENT, ...]}
//   GET  /api/ferry/v1/deployments/NAME         DEPLOYMENT (404 RESOURCE_DOES_NOT_EXIST)
//   POST /api/ferry/v1/deployments/NAME/canary  {"percent": 0-100} -> DEPLOYMENT
//
// DEPLOYMENT = {"name", "primary": ARM | null, "challenger": ARM | null} where a challenger
// ARM also has "mode" ("canary" | "shadow") and "percent". ARM = {"model", "version",
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

// `manager` and `clock` must outlive the router.
void AddDeploymentRoutes(Router& router, const serving::ModelManager& manager, Clock& clock,
                         CanaryPercentSetter set_percent);

// One deployment as JSON (the GET answer), at wall-clock `now_ms`.
std::string DeploymentJson(const serving::Deployment& deployment, int64_t now_ms);

}  // namespace ferry::http
