#pragma once
// `ferry server --auth` composed: the AuthService over the metadata backend, the first admin,
// the user and token routes, the access check on every route and the audit log
// (docs/AUTH.md).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "common/status.h"
#include "http/handlers/auth/request_resources.h"

namespace ferry::auth {
class AuditLog;
class AuthService;
class LoginThrottle;
}  // namespace ferry::auth
namespace ferry::http {
class RequestObserver;
class Router;
}  // namespace ferry::http
namespace ferry::store {
class AuditStore;
class AuthStore;
}  // namespace ferry::store

namespace ferry::app {

struct Auth {
  Auth();
  ~Auth();
  std::unique_ptr<auth::AuthService> service;
  std::unique_ptr<auth::LoginThrottle> throttle;  // failed logins, for every route and /login
  // This process's own credential for its own API ("Bearer SECRET", never stored): --deploy
  // fetches models from this server's registry with it.
  std::string internal_authorization;
};

// Opens the service and makes sure an admin exists: FERRY_ADMIN_USERNAME (default "admin")
// with FERRY_ADMIN_PASSWORD, or a generated password printed once on stderr. Registers the
// user, grant, token and session routes, and with --oidc-issuer the OIDC sign-in's;
// `secure_cookie` (the server runs TLS) marks the
// session cookie Secure.
absl::StatusOr<std::unique_ptr<Auth>> StartAuth(const cli::AuthFlags& flags,
                                                store::AuthStore& store, http::Router& router,
                                                bool secure_cookie);

// Puts the access check in front of every route; call once all routes are in. Fails, naming
// them, when a route has no access rule. `lookup` (app/resource_lookup.h) finds the
// experiments and deployments requests name.
absl::Status GuardRoutes(http::Router& router, Auth& auth, http::ResourceLookup lookup);

// The audit log over `store`, with its listing route (admins); call with StartAuth.
std::unique_ptr<auth::AuditLog> StartAudit(store::AuditStore& store, http::Router& router);
// What records every write into `log`, for http::ServerOptions::observer; call after
// GuardRoutes (it reads the routes' access rules).
std::unique_ptr<http::RequestObserver> MakeAuditObserver(const http::Router& router,
                                                         auth::AuditLog& log);

// The refusal to listen beyond loopback without --auth or --insecure-no-auth, as a message
// (empty when the address is fine).
std::string ExposureError(const std::string& host, const cli::AuthFlags& flags);

}  // namespace ferry::app
