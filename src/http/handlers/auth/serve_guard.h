#pragma once
// The access check of `ferry serve --auth`: a Bearer token from the operator's token file
// (auth/serve_tokens.h) against the route's rule (serve_rules.h). Failures answer in the
// route's protocol: OIP's {"error": "..."} under /v2, MLflow's {"error_code", "message"} for
// /invocations and the rest (Router::ErrorFor), with
//   401 + WWW-Authenticate: Bearer realm="ferry"   no token, or not a Bearer token
//   401 + ... error="invalid_token"               a token the file does not list
//   403                                           a known token without the scope
// The request's `user` becomes the token's name (never its secret).

#include <functional>
#include <string>
#include <vector>

#include "auth/serve_tokens.h"
#include "http/router.h"

namespace ferry::http {

// The deployments served now (/invocations without a Ferry-Model header serves the only one).
using DeployedModels = std::function<std::vector<std::string>()>;

// `router` and `tokens` must outlive the policy's checks. Fails (through Router::Guard) for a
// route without a serve rule.
Router::Policy ServeAuthPolicy(const Router& router, const auth::ServeTokens& tokens,
                               DeployedModels deployed_models);

}  // namespace ferry::http
