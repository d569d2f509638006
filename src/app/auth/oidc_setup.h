#pragma once
// The OpenID provider behind `ferry server --auth --oidc-issuer ...`: auth::OidcVerifier with
// a JWKS fetcher over net::HttpClient (auth/ does not reach the network; app wires the two).

#include <memory>

#include "cli/cli.h"
#include "common/status.h"

namespace ferry::auth {
class OidcLogin;
class OidcVerifier;
}  // namespace ferry::auth
namespace ferry::store {
class AuthStore;
}  // namespace ferry::store

namespace ferry::app {

// Null when the flags name no issuer. The keys are fetched on the first token, not here, so a
// provider that is down does not stop the server (Basic and Ferry's tokens still work).
// The JWKS comes from --oidc-jwks-url, else from the `jwks_uri` of
// ISSUER/.well-known/openid-configuration (whose `issuer` must be ISSUER).
absl::StatusOr<std::shared_ptr<auth::OidcVerifier>> MakeOidcVerifier(const cli::AuthFlags& flags);

// The web UI's sign-in at the same provider (auth/oidc_login.h); null without an issuer. Its
// endpoints are discovered on the first sign-in (and again hourly), its id_tokens verified
// against the same keys with aud = --oidc-client-id (default: the audience). kInvalidArgument
// for a --oidc-client-secret-file that cannot be read or is empty.
absl::StatusOr<std::shared_ptr<auth::OidcLogin>> MakeOidcLogin(const cli::AuthFlags& flags,
                                                               store::AuthStore& store);

}  // namespace ferry::app
