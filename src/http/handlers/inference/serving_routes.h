#pragma once
// Registers the inference endpoints: OIP v2 (/v2/...), the MLflow scoring protocol (/ping,
// /health, /version, /invocations) and GET /metrics (Prometheus text, version 0.0.4).

#include "common/clock.h"
#include "http/handlers/blocking_worker.h"
#include "http/router.h"
#include "serving/inference_service.h"

namespace ferry::http {

// `service` and `clock` must outlive the router's server.
// `health_and_version`: also GET /health and /version (MLflow's scoring server has them; a
// tracking server already answers them itself).
// `worker` (optional, must outlive the server): inference bodies over kOffLoopBodyBytes are
// decoded and run on it instead of the event loop. Errors the server answers itself under
// /v2 (413, and the 401 and 403 of --auth) take OIP's {"error"} shape.
void AddServingRoutes(Router& router, serving::InferenceService& service,
                      Clock& clock = SystemClock(), bool health_and_version = true,
                      BlockingWorker* worker = nullptr);

}  // namespace ferry::http
