#pragma once
// The OpenID provider behind `ferry server --auth --oidc-issuer ...`: auth::OidcVerifier with
// a JWKS fetcher over net::HttpClient (auth/ does not reach the network; app wires the two).

#include <memory>

#include "cli/cli.h"
#include "common/status.h"

namespace ferry::auth {
class OidcVerifier;
}

namespace ferry::app {

// Null when the flags name no issuer. The keys are fetched on the first token, not here, so a
// provider that is down does not stop the server (Basic and Ferry's tokens still work).
// The JWKS comes from --oidc-jwks-url, else from the `jwks_uri` of
// ISSUER/.well-known/openid-configuration (whose `issuer` must be ISSUER).
absl::StatusOr<std::shared_ptr<auth::OidcVerifier>> MakeOidcVerifier(const cli::AuthFlags& flags);

}  // namespace ferry::app
