#include "http/handlers/auth/session.h"

#include <vector>

#include "auth/auth_service.h"
#include "auth/login_throttle.h"
#include "common/clock.h"
#include "common/strings.h"
#include "http/handlers/handler_util.h"

namespace ferry::http {
namespace {

constexpr int64_t kSessionMs = 12 * 3600 * 1000;
constexpr char kSessionName[] = "browser session";

// The value of cookie `name` in a Cookie header ("a=1; b=2").
std::optional<std::string> CookieValue(const HttpRequest& request, std::string_view name) {
  const std::string* header = request.Header("cookie");
  if (header == nullptr) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const size_t end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (StartsWith(pair, " ")) pair.remove_prefix(1);
    if (StartsWith(pair, name) && pair.size() > name.size() && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
  }
  return std::nullopt;
}

// "ID:SECRET" from the cookie.
std::optional<std::pair<std::string, std::string>> SessionParts(const HttpRequest& request) {
  std::optional<std::string> value = CookieValue(request, kSessionCookie);
  if (!value) return std::nullopt;
  const size_t colon = value->find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == value->size()) return std::nullopt;
  return std::make_pair(value->substr(0, colon), value->substr(colon + 1));
}

// `secure`: the server runs TLS, so the browser must never send the cookie over plain HTTP.
std::string SetCookie(const std::string& value, int64_t max_age_s, bool secure) {
  return StrCat(kSessionCookie, "=", value, "; Path=/; HttpOnly; SameSite=Lax",
                secure ? "; Secure" : "", "; Max-Age=", max_age_s);
}

absl::Status Login(auth::AuthService& auth, auth::LoginThrottle& throttle, bool secure,
                   const HttpRequest& r, const RequestArgs& a, JsonWriter& w,
                   HttpResponse* response) {
  ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
  ASSIGN_OR_RETURN(std::string password, a.RequiredString("password"));
  if (int64_t wait_ms = throttle.RetryAfterMs(username, r.peer); wait_ms > 0) {
    return absl::ResourceExhaustedError(
        StrCat("Too many failed logins for this user from this address; try again in ",
               (wait_ms + 999) / 1000, " s"));
  }
  absl::StatusOr<auth::Principal> who =
      auth.Authenticate("Basic " + Base64Encode(username + ":" + password));
  if (!who.ok()) {
    if (absl::IsUnauthenticated(who.status())) throttle.RecordFailure(username, r.peer);
    return who.status();
  }
  throttle.RecordSuccess(username, r.peer);
  ASSIGN_OR_RETURN(std::string cookie, NewSessionCookie(auth, username, secure));
  response->headers.emplace_back("Set-Cookie", std::move(cookie));
  w.Key("user").BeginObject().Field("username", who->username).FieldBool("is_admin", who->is_admin);
  w.EndObject();
  return absl::OkStatus();
}

// Ends the session the cookie names (it must be the caller's own).
absl::Status Logout(auth::AuthService& auth, bool secure, const HttpRequest& r,
                    HttpResponse* response) {
  response->headers.emplace_back("Set-Cookie", SetCookie("", 0, secure));
  std::optional<std::pair<std::string, std::string>> parts = SessionParts(r);
  if (!parts) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<auth::TokenInfo> tokens, auth.ListTokens(r.user));
  for (const auth::TokenInfo& t : tokens) {
    if (t.id == parts->first) return auth.RevokeToken(t.id);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> NewSessionCookie(auth::AuthService& auth, const std::string& username,
                                             bool secure_cookie, std::vector<std::string> groups,
                                             bool admin_group) {
  ASSIGN_OR_RETURN(
      auth::IssuedToken session,
      auth.CreateSessionToken(username, kSessionName, SystemClock().NowMillis() + kSessionMs,
                              std::move(groups), admin_group));
  return SetCookie(session.info.id + ":" + session.plaintext, kSessionMs / 1000, secure_cookie);
}

std::optional<std::string> SessionAuthorization(const HttpRequest& request) {
  std::optional<std::pair<std::string, std::string>> parts = SessionParts(request);
  if (!parts) return std::nullopt;
  return "Bearer " + parts->second;
}

auth::Principal RequestCaller(const HttpRequest& request, auth::AuthService& auth) {
  const std::string* given = request.Header("authorization");
  const std::optional<std::string> session = given ? std::nullopt : SessionAuthorization(request);
  if (given != nullptr || session) {
    absl::StatusOr<auth::Principal> who = auth.Authenticate(given != nullptr ? *given : *session);
    if (who.ok() && who->username == request.user) return *std::move(who);
  }
  return auth::Principal{0, request.user, request.user_is_admin, {}};
}

absl::Status CheckSameOrigin(const HttpRequest& request) {
  if (request.method == "GET" || request.method == "HEAD") return absl::OkStatus();
  const std::string* origin = request.Header("origin");
  const std::string* host = request.Header("host");
  if (origin != nullptr && host != nullptr) {
    std::string_view o = *origin;
    const size_t scheme = o.find("://");
    if (scheme != std::string_view::npos && o.substr(scheme + 3) == *host) {
      return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError(
      "Permission denied: a change made with the session cookie must come from this server's "
      "own pages (Origin does not match Host)");
}

void RegisterSessionStatus(Router& router, auth::AuthService* auth, bool workspaces,
                           const std::string& oidc_issuer) {
  std::string provider = oidc_issuer;  // "https://idp.example/realms/x" -> "idp.example"
  if (const size_t scheme = provider.find("://"); scheme != std::string::npos) {
    provider = provider.substr(scheme + 3);
  }
  provider = provider.substr(0, provider.find('/'));
  router.Add("GET", "/api/ferry/v1/auth/session", [auth, workspaces, provider](HttpRequest& r) {
    std::string body;
    JsonWriter w(&body);
    w.BeginObject().FieldBool("auth", auth != nullptr);
    // Only the session cookie counts here: an open route that checked Basic passwords would
    // let guesses past the login limit.
    std::optional<std::string> header = SessionAuthorization(r);
    bool known = auth == nullptr;
    if (auth != nullptr && header) {
      if (absl::StatusOr<auth::Principal> who = auth->Authenticate(*header); who.ok()) {
        w.Key("user").BeginObject().Field("username", who->username);
        w.FieldBool("is_admin", who->is_admin).EndObject();
        known = true;
      }
    }
    if (known && workspaces) w.FieldBool("workspaces", true);
    if (auth != nullptr && !provider.empty()) {
      w.FieldBool("oidc_login", true).Field("oidc_provider", provider);
    }
    w.EndObject();
    return HttpResponse::Json(200, std::move(body));
  });
}

void RegisterSessionRoutes(Router& router, auth::AuthService& auth, auth::LoginThrottle& throttle,
                           bool secure_cookie) {
  auto with_cookie = [](auto fn) {
    return [fn](HttpRequest& r) {
      HttpResponse extra;
      HttpResponse response =
          JsonRequestHandler([&](const HttpRequest& req, const RequestArgs& a, JsonWriter& w) {
            return fn(req, a, w, &extra);
          })(r);
      if (response.status == 200) {
        for (auto& header : extra.headers) response.headers.push_back(std::move(header));
      }
      return response;
    };
  };
  router.Add(
      "POST", "/api/ferry/v1/auth/login",
      with_cookie([&auth, &throttle, secure_cookie](const HttpRequest& r, const RequestArgs& a,
                                                    JsonWriter& w, HttpResponse* out) {
        return Login(auth, throttle, secure_cookie, r, a, w, out);
      }));
  router.Add("POST", "/api/ferry/v1/auth/logout",
             with_cookie([&auth, secure_cookie](const HttpRequest& r, const RequestArgs&,
                                                JsonWriter&, HttpResponse* out) {
               return Logout(auth, secure_cookie, r, out);
             }));
}

}  // namespace ferry::http
