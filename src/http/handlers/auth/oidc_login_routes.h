#pragma once
// The web UI's sign-in at the OpenID provider (auth/oidc_login.h), with `ferry server --auth
// --oidc-issuer ... --oidc-audience ...`:
//   GET /api/ferry/v1/auth/oidc/login?next=/#/...  302 to the provider's authorization endpoint
//   GET /api/ferry/v1/auth/oidc/callback?code=&state=  the provider sends the browser back here;
//       on success the same session cookie as the password login, and 302 to `next`
// Both are open routes. Failed callbacks count against the login throttle under the name
// "(oidc sign-in)" and the caller's address; a throttled caller gets 429. Every refusal is
// MLflow's JSON error shape naming the reason, never a token.

#include <memory>

#include "http/router.h"

namespace ferry::auth {
class AuthService;
class LoginThrottle;
class OidcLogin;
}  // namespace ferry::auth

namespace ferry::http {

inline constexpr char kOidcLoginPath[] = "/api/ferry/v1/auth/oidc/login";
inline constexpr char kOidcCallbackPath[] = "/api/ferry/v1/auth/oidc/callback";

// `login` is shared with the routes; `secure_cookie` (TLS) marks the cookie Secure and makes
// the derived redirect URI https.
void RegisterOidcLoginRoutes(Router& router, auth::AuthService& auth, auth::LoginThrottle& throttle,
                             std::shared_ptr<auth::OidcLogin> login, bool secure_cookie);

}  // namespace ferry::http
