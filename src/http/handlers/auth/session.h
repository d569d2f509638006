#pragma once
// Browser sessions of `ferry server --auth` (the web UI's login page): POST
// /api/ferry/v1/auth/login checks a username and password and sets the `ferry_session`
// cookie (HttpOnly, SameSite=Lax, Path=/, 12 hours; Secure under TLS); POST
// /api/ferry/v1/auth/logout ends it. A session is an access token named "browser session", so every
// replica sharing the metadata store accepts it and logging out revokes it at once. The cookie
// holds the token's id and secret ("ID:SECRET").
//
// Cross-site request forgery: a request authenticated by the cookie that changes something
// (any method but GET and HEAD) must carry an Origin header naming this server's own Host.

#include <optional>
#include <string>
#include <vector>

#include "auth/auth_types.h"
#include "common/status.h"
#include "http/router.h"

namespace ferry::auth {
class AuthService;
class LoginThrottle;
}  // namespace ferry::auth

namespace ferry::http {

inline constexpr char kSessionCookie[] = "ferry_session";

// The Authorization value ("Bearer SECRET") a request's session cookie stands for, if any.
std::optional<std::string> SessionAuthorization(const HttpRequest& request);

// For a cookie-authenticated request: kPermissionDenied unless it is safe (GET, HEAD) or its
// Origin's host:port is the request's Host.
absl::Status CheckSameOrigin(const HttpRequest& request);

// The caller of a request the access check let through, as AuthService knows them (from its
// cache of verified credentials): name, admin flag and an OIDC token's groups. Without a
// credential that verifies (the server's own), the name and flag the check put on the request.
auth::Principal RequestCaller(const HttpRequest& request, auth::AuthService& auth);

// GET /api/ferry/v1/auth/session, open, registered with or without --auth (`auth` null):
// {"auth": false} without it; else {"auth": true, "user": {"username", "is_admin"}} for a
// request with a valid session cookie, {"auth": true} otherwise. The UI asks it
// to show who is signed in without provoking an error. `"workspaces": true` says the server
// runs with --enable-workspaces, told only to whom may list them (a signed-in user, anyone
// without --auth), so an anonymous caller learns nothing about workspaces. With an
// `oidc_issuer` (the OIDC sign-in is on), every answer adds `"oidc_login": true` and
// `"oidc_provider": "HOST"` (the issuer's host), for the login page's button.
void RegisterSessionStatus(Router& router, auth::AuthService* auth, bool workspaces,
                           const std::string& oidc_issuer = "");

// A new browser session for `username` (who must exist): the Set-Cookie value that carries it.
// The password login and the OIDC sign-in (oidc_login_routes.h) both end here; the OIDC
// sign-in passes its id_token's `groups` and admin-group membership, which the session keeps.
absl::StatusOr<std::string> NewSessionCookie(auth::AuthService& auth, const std::string& username,
                                             bool secure_cookie,
                                             std::vector<std::string> groups = {},
                                             bool admin_group = false);

// The login and logout routes. `throttle` is the one the access check uses. `secure_cookie`
// (the server runs TLS) adds Secure to the cookie.
void RegisterSessionRoutes(Router& router, auth::AuthService& auth, auth::LoginThrottle& throttle,
                           bool secure_cookie);

}  // namespace ferry::http
