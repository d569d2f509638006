#pragma once
// The authentication flags of `ferry server` (docs/AUTH.md): --auth, --insecure-no-auth,
// --auth-default-permission, and the --oidc-* flags that accept an OpenID provider's tokens. app/
// enforces that a non-loopback address needs one of the first two, and reads the first admin from
// FERRY_ADMIN_USERNAME / FERRY_ADMIN_PASSWORD.

#include <string>

#include "common/status.h"

namespace ferry::cli {

class FlagSet;

struct AuthFlags {
  bool enabled = false;
  bool insecure_no_auth = false;            // listen beyond loopback without auth, knowingly
  std::string default_permission = "READ";  // for users without a grant (MLflow's default)
  // OIDC bearer tokens (with --auth only): on when `oidc_issuer` is set.
  std::string oidc_issuer;    // the `iss` tokens must carry; its discovery document names the
                              // JWKS unless `oidc_jwks_url` is given
  std::string oidc_audience;  // the `aud` tokens must carry (required with an issuer)
  std::string oidc_jwks_url;
  std::string oidc_username_claim = "preferred_username";
  std::string oidc_groups_claim = "groups";
  std::string oidc_admin_group;  // empty: no group makes an admin
  // The web UI's sign-in at the provider (authorization code flow with PKCE).
  std::string oidc_client_id;           // empty: the audience
  std::string oidc_client_secret_file;  // empty: a public client
  std::string oidc_redirect_uri;        // empty: derived from each request's Host
  std::string oidc_scopes = "openid profile email groups";
};

void DeclareAuthFlags(FlagSet& flags);
// kInvalidArgument for an unknown permission or contradictory flags (--oidc-* without --auth,
// an issuer without an audience, a URL that is not http(s)).
absl::StatusOr<AuthFlags> AuthFlagsFrom(const FlagSet& flags);

}  // namespace ferry::cli
