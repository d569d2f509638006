#include "http/handlers/auth/serve_rules.h"

namespace ferry::http {
namespace {

constexpr ServeRule Open() { return {ServeNeed::kOpen}; }
constexpr ServeRule Metrics() { return {ServeNeed::kMetrics}; }
constexpr ServeRule Admin() { return {ServeNeed::kAdmin}; }
constexpr ServeRule Infer(Locate locate) { return {ServeNeed::kInfer, locate}; }

struct Entry {
  std::string_view method;
  std::string_view pattern;
  ServeRule rule;
};

constexpr Entry kRules[] = {
    // Probes (Kubernetes liveness and readiness, MLflow's /ping) and the UI's files.
    {"GET", "/", Open()},
    {"GET", "/static/*", Open()},
    {"GET", "/ping", Open()},
    {"GET", "/health", Open()},
    {"GET", "/version", Open()},
    {"GET", "/v2/health/live", Open()},
    {"GET", "/v2/health/ready", Open()},

    // Inference and metadata: /v2/models/NAME[/versions/V][/ready|/infer] names its model;
    // /invocations the Ferry-Model header, else the only deployment.
    {"GET", "/v2", {ServeNeed::kInferAny}},
    {"GET", "/v2/models/*", Infer(Locate::kPathSegment)},
    {"POST", "/v2/models/*", Infer(Locate::kPathSegment)},
    {"POST", "/invocations", Infer(Locate::kInvocation)},

    // Status: what a Prometheus scraper or a dashboard reads.
    {"GET", "/metrics", Metrics()},
    {"GET", "/api/ferry/v1/deployments", Metrics()},
    {"GET", "/api/ferry/v1/deployments/*", Metrics()},
    {"GET", "/api/ferry/v1/monitoring/deployments", Metrics()},
    {"GET", "/api/ferry/v1/monitoring/deployments/*", Metrics()},

    // Model control and other changes: the canary share, the registry hook (re-resolves the
    // reference and swaps the version in), monitoring labels.
    {"POST", "/api/ferry/v1/deployments/*", Admin()},
    {"POST", "/api/ferry/v1/hooks/registry", Admin()},
    {"POST", "/api/ferry/v1/monitoring/labels", Admin()},
};

}  // namespace

const ServeRule* FindServeRule(std::string_view method, std::string_view pattern) {
  for (const Entry& e : kRules) {
    if (e.method == method && e.pattern == pattern) return &e.rule;
  }
  return nullptr;
}

}  // namespace ferry::http
