#pragma once
// Registers the inference endpoints: OIP v2 (/v2/...), the MLflow scoring protocol (/ping,
// /health, /version, /invocations) and GET /metrics (Prometheus text, version 0.0.4).

#include "common/clock.h"
#include "http/router.h"
#include "serving/inference_service.h"

namespace ferry::http {

// `service` and `clock` must outlive the router's server.
void AddServingRoutes(Router& router, serving::InferenceService& service,
                      Clock& clock = SystemClock());

}  // namespace ferry::http
