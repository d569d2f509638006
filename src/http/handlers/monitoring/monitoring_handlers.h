#pragma once
// Live monitoring endpoints (docs/API.md, "Live monitoring"):
//   GET  /api/ferry/v1/monitoring/deployments                      {"deployments": [...]}
//   GET  /api/ferry/v1/monitoring/deployments/{name}/windows?max_results=N
//                                                                  {"windows": [...]}
//   GET  /api/ferry/v1/monitoring/deployments/{name}/alerts        {"active": [...], "events":
//   [...]} POST /api/ferry/v1/monitoring/labels  {"deployment": NAME, "labels": [{"request_id": ID,
//        "label": V}, ...]}                            {"matched": n, "unknown": n, "duplicate": n}
// Errors are Ferry's JSON errors {"error_code", "message"}; a request error names the field
// (with its index in `labels`).

#include <cstddef>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "http/handlers/blocking_worker.h"
#include "http/handlers/monitoring/monitoring_api.h"
#include "http/router.h"

namespace ferry::http {

inline constexpr int kDefaultWindowResults = 20;
inline constexpr int kMaxWindowResults = 1000;
inline constexpr size_t kMaxLabelsPerBatch = 10000;

// `api` and `worker` must outlive the router. POST .../labels runs on `worker` (it waits for
// the predictions queued before the labels); a full worker answers 503 + Retry-After.
void RegisterMonitoringRoutes(Router& router, MonitoringApi& api, BlockingWorker& worker);

// POST .../labels run inline (the route runs it on the worker; exposed for tests).
Handler LabelsHandler(MonitoringApi& api);

// The body of POST .../labels (exposed for tests). kInvalidArgument naming the field, e.g.
// "labels[2].request_id: missing".
struct LabelsRequest {
  std::string deployment;
  std::vector<PostedLabel> labels;
};
absl::StatusOr<LabelsRequest> ParseLabelsRequest(const JsonValue& body);

}  // namespace ferry::http
