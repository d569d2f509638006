// Ferry's access tokens: /api/ferry/v1/tokens. A token is shown once, when it is created;
// the server keeps its SHA-256 only.

#include <optional>
#include <string>
#include <vector>

#include "auth/auth_service.h"
#include "common/clock.h"
#include "http/handlers/auth/user_handlers.h"
#include "http/handlers/handler_util.h"

namespace ferry::http {
namespace {

constexpr char kPrefix[] = "/api/ferry/v1/tokens";
constexpr int64_t kMaxDays = 3660;

void WriteToken(JsonWriter& w, const auth::TokenInfo& t) {
  w.BeginObject().Field("id", t.id).Field("name", t.name).Field("creation_timestamp", t.created_ms);
  if (t.expires_ms) w.Field("expiration_timestamp", *t.expires_ms);
  if (t.revoked_ms) w.Field("revocation_timestamp", *t.revoked_ms);
  if (t.last_used_ms) w.Field("last_used_timestamp", *t.last_used_ms);
  w.EndObject();
}

// Whose tokens a request is about: the caller's, or (admins only) the named user's.
absl::StatusOr<std::string> Owner(const HttpRequest& r, const RequestArgs& a) {
  ASSIGN_OR_RETURN(std::optional<std::string> named, a.String("username"));
  if (!named || *named == r.user) return r.user;
  if (!r.user_is_admin) {
    return absl::PermissionDeniedError(
        "Permission denied: only admins may manage another "
        "user's tokens");
  }
  return *named;
}

absl::Status Create(auth::AuthService& auth, const HttpRequest& r, const RequestArgs& a,
                    JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string owner, Owner(r, a));
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(std::optional<int64_t> days, a.Int64("expires_in_days"));
  std::optional<int64_t> expires;
  if (days) {
    if (*days < 1 || *days > kMaxDays) {
      return absl::InvalidArgumentError("expires_in_days must be between 1 and " +
                                        std::to_string(kMaxDays));
    }
    expires = SystemClock().NowMillis() + *days * 86400000;
  }
  ASSIGN_OR_RETURN(auth::IssuedToken issued, auth.CreateToken(owner, name, expires));
  w.Field("token", issued.plaintext).Key("token_info");
  WriteToken(w, issued.info);
  return absl::OkStatus();
}

absl::Status List(auth::AuthService& auth, const HttpRequest& r, const RequestArgs& a,
                  JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string owner, Owner(r, a));
  ASSIGN_OR_RETURN(std::vector<auth::TokenInfo> tokens, auth.ListTokens(owner));
  w.Key("tokens").BeginArray();
  for (const auth::TokenInfo& t : tokens) WriteToken(w, t);
  w.EndArray();
  return absl::OkStatus();
}

// Someone else's token answers as a missing one, so ids cannot be probed.
absl::Status Revoke(auth::AuthService& auth, const HttpRequest& r) {
  const std::string& id = r.path_rest;
  const absl::Status missing = absl::NotFoundError("Token with id=" + id + " not found");
  if (!r.user_is_admin) {
    ASSIGN_OR_RETURN(std::vector<auth::TokenInfo> own, auth.ListTokens(r.user));
    bool mine = false;
    for (const auth::TokenInfo& t : own) mine = mine || t.id == id;
    if (!mine) return missing;
  }
  return auth.RevokeToken(id);
}

}  // namespace

void RegisterTokenRoutes(Router& router, auth::AuthService& auth) {
  router.Add("POST", kPrefix,
             JsonRequestHandler([&auth](const HttpRequest& r, const RequestArgs& a, JsonWriter& w) {
               return Create(auth, r, a, w);
             }));
  router.Add("GET", kPrefix,
             JsonRequestHandler([&auth](const HttpRequest& r, const RequestArgs& a, JsonWriter& w) {
               return List(auth, r, a, w);
             }));
  router.Add("DELETE", std::string(kPrefix) + "/*",
             JsonRequestHandler([&auth](const HttpRequest& r, const RequestArgs&, JsonWriter&) {
               return Revoke(auth, r);
             }));
}

}  // namespace ferry::http
