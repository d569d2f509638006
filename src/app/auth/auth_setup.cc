#include "app/auth/auth_setup.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/auth/oidc_setup.h"
#include "app/http_options.h"
#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "auth/login_throttle.h"
#include "auth/oidc_login.h"
#include "auth/secrets.h"
#include "common/clock.h"
#include "http/handlers/auth/audit_handlers.h"
#include "http/handlers/auth/auth_guard.h"
#include "http/handlers/auth/oidc_login_routes.h"
#include "http/handlers/auth/session.h"
#include "http/handlers/auth/user_handlers.h"
#include "http/router.h"
#include "store/auth_store.h"

namespace ferry::app {
namespace {

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

Auth::Auth() = default;
Auth::~Auth() = default;

absl::StatusOr<std::unique_ptr<Auth>> StartAuth(const cli::AuthFlags& flags,
                                                store::AuthStore& store, http::Router& router,
                                                bool secure_cookie) {
  auth::AuthService::Options options;
  options.default_permission =
      auth::ParsePermission(flags.default_permission).value_or(auth::Permission::kRead);
  ASSIGN_OR_RETURN(options.oidc, MakeOidcVerifier(flags));
  auto service = std::make_unique<auth::AuthService>(&store, &SystemClock(), options);
  const std::string admin = EnvOr("FERRY_ADMIN_USERNAME", "admin");
  ASSIGN_OR_RETURN(std::optional<std::string> generated,
                   service->EnsureAdmin(admin, EnvOr("FERRY_ADMIN_PASSWORD", "")));
  if (generated && !generated->empty()) {  // empty: the password came from the environment
    std::fprintf(stderr,
                 "ferry server: created the admin user '%s' with the password %s\n"
                 "  (shown this once; change it with PATCH /api/2.0/mlflow/users/"
                 "update-password, or set FERRY_ADMIN_PASSWORD before the first start)\n",
                 admin.c_str(), generated->c_str());
  }
  auto parts = std::make_unique<Auth>();
  parts->throttle = std::make_unique<auth::LoginThrottle>(&SystemClock());
  ASSIGN_OR_RETURN(std::string secret, auth::NewTokenPlaintext());
  parts->internal_authorization = "Bearer " + secret;
  http::RegisterUserRoutes(router, *service);
  http::RegisterSessionRoutes(router, *service, *parts->throttle, secure_cookie);
  ASSIGN_OR_RETURN(std::shared_ptr<auth::OidcLogin> oidc_login, MakeOidcLogin(flags, store));
  if (oidc_login) {
    http::RegisterOidcLoginRoutes(router, *service, *parts->throttle, std::move(oidc_login),
                                  secure_cookie);
  }
  http::RegisterAccessListing(router);
  parts->service = std::move(service);
  return parts;
}

absl::Status GuardRoutes(http::Router& router, Auth& auth, http::ResourceLookup lookup) {
  return router.Guard(http::AuthPolicy(router, *auth.service, *auth.throttle,
                                       auth.internal_authorization, std::move(lookup)));
}

std::unique_ptr<auth::AuditLog> StartAudit(store::AuditStore& store, http::Router& router) {
  auto log = std::make_unique<auth::AuditLog>(&store, &SystemClock());
  http::RegisterAuditRoute(router, *log);
  return log;
}

std::unique_ptr<http::RequestObserver> MakeAuditObserver(const http::Router& router,
                                                         auth::AuditLog& log) {
  return std::make_unique<http::AuditObserver>(router, log);
}

std::string ExposureError(const std::string& host, const cli::AuthFlags& flags) {
  return ExposureError(host, flags.enabled, flags.insecure_no_auth,
                       "read, change and delete everything");
}

}  // namespace ferry::app
