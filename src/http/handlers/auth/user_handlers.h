#pragma once
// The user and permission API of `ferry server --auth`: MLflow's basic-auth endpoints
// (users/*, experiments/permissions/*, registered-models/permissions/*, wire-compatible with
// mlflow.server.auth.client.AuthServiceClient) plus users/current, MLflow 3.x's users/list
// and Ferry's access tokens (/api/ferry/v1/tokens). Who may call each is declared in
// access_rules.cc.

#include "http/router.h"

namespace ferry::auth {
class AuthService;
}

namespace ferry::http {

// Also registers the token routes.
void RegisterUserRoutes(Router& router, auth::AuthService& auth);
// POST /api/ferry/v1/tokens {name, expires_in_days?, username?}, GET ?username=, and
// DELETE /api/ferry/v1/tokens/{id}: a caller's own tokens, anyone's for an admin.
void RegisterTokenRoutes(Router& router, auth::AuthService& auth);

}  // namespace ferry::http
