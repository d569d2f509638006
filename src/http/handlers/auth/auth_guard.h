#pragma once
// The access check of `ferry server --auth`: Router::Guard's policy built from the rules of
// access_rules.h. For each request it authenticates the Authorization header (401 with
// `WWW-Authenticate: Basic realm="ferry"` when absent or wrong), finds the resource the
// rule names (an experiment through a run or an artifact path, a registered model) and asks
// AuthService for the caller's permission on it (403 PERMISSION_DENIED when short). Errors
// take the route's protocol shape (MLflow's JSON, OIP's {"error"} under /v2).

#include <string>

#include "common/status.h"
#include "http/handlers/auth/request_resources.h"
#include "http/router.h"

namespace ferry::auth {
class AuthService;
class LoginThrottle;
}  // namespace ferry::auth

namespace ferry::http {

// `router` gives errors their shape; it, `auth` and `throttle` (failed logins, shared with
// the login route) outlive the policy. Credentials come from the Authorization header, or
// from the web UI's session cookie (session.h).
// `internal_authorization` ("Bearer SECRET", random per process, never stored) is the
// server's own credential for its own API (--deploy fetches models from its registry): an
// admin named "ferry-server".
Router::Policy AuthPolicy(const Router& router, auth::AuthService& auth,
                          auth::LoginThrottle& throttle, std::string internal_authorization,
                          ResourceLookup lookup);

// GET /api/ferry/v1/auth/routes (admins): every route of `router` with its access rule, as
// {"routes": [{"method", "pattern", "access", "audited"}]}, read when asked (so it lists the routes
// added after it too).
void RegisterAccessListing(Router& router);

}  // namespace ferry::http
