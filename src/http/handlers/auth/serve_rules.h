#pragma once
// What each route of `ferry serve --auth` needs (docs/AUTH.md, "Inference servers"), the
// counterpart of access_rules.h for a server without users: tokens with scopes
// (auth/serve_tokens.h). Deny by default: a route missing from this table makes Router::Guard
// fail, so `ferry serve --auth` refuses to start rather than serve it unchecked.
//
// As Triton, KServe and TorchServe users expect: health and readiness are open for probes;
// inference and model metadata need an `infer` scope covering the model; the status of the
// deployments and /metrics need `metrics`; anything that changes the server's state (the
// canary share, the registry hook that swaps versions, monitoring labels) needs `admin`.

#include <string_view>

#include "http/handlers/auth/access_rules.h"

namespace ferry::http {

enum class ServeNeed {
  kOpen,      // anyone: health probes, the UI's static files
  kInferAny,  // a token with any inference scope (server metadata)
  kInfer,     // a token whose inference scopes cover the model found by `locate`
  kMetrics,   // the `metrics` scope: /metrics, deployment and monitoring status
  kAdmin,     // the `admin` scope: model control and every other change
};

struct ServeRule {
  ServeNeed need = ServeNeed::kAdmin;
  Locate locate = Locate::kNone;  // kPathSegment or kInvocation for kInfer
};

// The rule for a route of `ferry serve` as the router knows it (method, pattern as added), or
// nullptr.
const ServeRule* FindServeRule(std::string_view method, std::string_view pattern);

}  // namespace ferry::http
