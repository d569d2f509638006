#include "http/handlers/auth/oidc_login_routes.h"

#include <string>

#include "auth/login_throttle.h"
#include "auth/oidc_login.h"
#include "common/strings.h"
#include "http/handlers/auth/session.h"
#include "http/handlers/error_response.h"
#include "http/query.h"

namespace ferry::http {
namespace {

constexpr char kThrottleName[] = "(oidc sign-in)";

std::string Param(const QueryParams& q, std::string_view name) {
  const std::string* v = q.Get(name);
  return v != nullptr ? *v : "";
}

HttpResponse Redirect(const std::string& location) {
  HttpResponse response = HttpResponse::Text(302, "");
  response.headers.emplace_back("Location", location);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// <scheme>://<Host>/api/ferry/v1/auth/oidc/callback, as the browser reached this server.
std::string DerivedRedirectUri(const HttpRequest& r, bool tls) {
  const std::string* host = r.Header("host");
  return StrCat(tls ? "https://" : "http://", host != nullptr ? *host : "localhost",
                kOidcCallbackPath);
}

HttpResponse BeginLogin(auth::OidcLogin& login, bool tls, const HttpRequest& r) {
  absl::StatusOr<QueryParams> q = ParseQuery(r.query);
  if (!q.ok()) return ErrorResponse(q.status());
  const std::string* next = q->Get("next");
  absl::StatusOr<std::string> url =
      login.Begin(next != nullptr ? *next : "/", DerivedRedirectUri(r, tls));
  if (!url.ok()) return ErrorResponse(url.status());
  return Redirect(*url);
}

absl::StatusOr<auth::OidcLogin::SignedIn> FinishLogin(auth::OidcLogin& login,
                                                      const QueryParams& q) {
  const std::string state = Param(q, "state");
  if (const std::string error = Param(q, "error"); !error.empty()) {
    (void)login.Finish(state, "");  // the state is spent either way
    std::string reason = StrCat("The provider refused the sign-in: ", error.substr(0, 100));
    const std::string description = Param(q, "error_description");
    if (!description.empty()) reason += StrCat(" (", description.substr(0, 200), ")");
    return absl::UnauthenticatedError(reason);
  }
  return login.Finish(state, Param(q, "code"));
}

HttpResponse Callback(auth::AuthService& auth, auth::LoginThrottle& throttle,
                      auth::OidcLogin& login, bool tls, const HttpRequest& r) {
  if (int64_t wait_ms = throttle.RetryAfterMs(kThrottleName, r.peer); wait_ms > 0) {
    return ErrorResponse(absl::ResourceExhaustedError(
        StrCat("Too many failed sign-ins from this address; try again in ", (wait_ms + 999) / 1000,
               " s")));
  }
  absl::StatusOr<QueryParams> q = ParseQuery(r.query);
  if (!q.ok()) return ErrorResponse(q.status());
  absl::StatusOr<auth::OidcLogin::SignedIn> who = FinishLogin(login, *q);
  if (!who.ok()) {
    if (!absl::IsUnavailable(who.status())) throttle.RecordFailure(kThrottleName, r.peer);
    return ErrorResponse(who.status());
  }
  absl::StatusOr<std::string> cookie =
      NewSessionCookie(auth, who->username, tls, std::move(who->groups), who->in_admin_group);
  if (!cookie.ok()) return ErrorResponse(cookie.status());
  HttpResponse response = Redirect(who->next);
  response.headers.emplace_back("Set-Cookie", *std::move(cookie));
  return response;
}

}  // namespace

void RegisterOidcLoginRoutes(Router& router, auth::AuthService& auth, auth::LoginThrottle& throttle,
                             std::shared_ptr<auth::OidcLogin> login, bool secure_cookie) {
  router.Add("GET", kOidcLoginPath, [login, secure_cookie](HttpRequest& r) {
    return BeginLogin(*login, secure_cookie, r);
  });
  router.Add("GET", kOidcCallbackPath, [&auth, &throttle, login, secure_cookie](HttpRequest& r) {
    return Callback(auth, throttle, *login, secure_cookie, r);
  });
}

}  // namespace ferry::http
