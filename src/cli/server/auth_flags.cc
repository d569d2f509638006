#include "cli/server/auth_flags.h"

#include "cli/flags.h"

namespace ferry::cli {

void DeclareAuthFlags(FlagSet& flags) {
  flags.Bool("auth",
             "require credentials on every route but health probes and the UI's files: HTTP "
             "Basic or a Bearer token, as MLflow's clients send them (docs/AUTH.md)");
  flags.Bool("insecure-no-auth",
             "allow listening on a non-loopback address without --auth (anyone who reaches "
             "the port can change and delete everything)");
  flags.String("auth-default-permission", "READ",
               "with --auth, what a user without a grant may do with an experiment or model: "
               "READ, USE, EDIT, MANAGE or NO_PERMISSIONS");
  flags.String("oidc-issuer", "",
               "with --auth, also accept Bearer JWTs (RS256, ES256) of this OpenID provider: "
               "their `iss` must equal it (docs/AUTH.md, OIDC)");
  flags.String("oidc-audience", "", "with --oidc-issuer, the `aud` the tokens must carry");
  flags.String(
      "oidc-jwks-url", "",
      "the provider's JWKS (default: jwks_uri of ISSUER/.well-known/openid-configuration)");
  flags.String("oidc-username-claim", "preferred_username",
               "the claim that names the user (falls back to `sub`)");
  flags.String("oidc-groups-claim", "groups", "the claim that lists the user's groups");
  flags.String("oidc-admin-group", "",
               "members of this group (in the groups claim) are admins for that request");
  flags.String("oidc-client-id", "",
               "the web UI's sign-in at the provider: the OAuth client id (default: the audience)");
  flags.String("oidc-client-secret-file", "",
               "a file holding the client secret, for a confidential client (default: none)");
  flags.String("oidc-redirect-uri", "",
               "the callback the provider sends browsers to (default: "
               "SCHEME://HOST/api/ferry/v1/auth/oidc/callback, from the request)");
  flags.String("oidc-scopes", "openid profile email groups", "the scopes the sign-in asks for");
}

namespace {

bool IsHttpUrl(const std::string& url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

absl::Status ReadOidcFlags(const FlagSet& flags, AuthFlags& auth) {
  auth.oidc_issuer = flags.Get("oidc-issuer");
  auth.oidc_audience = flags.Get("oidc-audience");
  auth.oidc_jwks_url = flags.Get("oidc-jwks-url");
  auth.oidc_username_claim = flags.Get("oidc-username-claim");
  auth.oidc_groups_claim = flags.Get("oidc-groups-claim");
  auth.oidc_admin_group = flags.Get("oidc-admin-group");
  auth.oidc_client_id = flags.Get("oidc-client-id");
  auth.oidc_client_secret_file = flags.Get("oidc-client-secret-file");
  auth.oidc_redirect_uri = flags.Get("oidc-redirect-uri");
  auth.oidc_scopes = flags.Get("oidc-scopes");
  const bool any = !auth.oidc_issuer.empty() || !auth.oidc_audience.empty() ||
                   !auth.oidc_jwks_url.empty() || !auth.oidc_admin_group.empty() ||
                   !auth.oidc_client_id.empty() || !auth.oidc_client_secret_file.empty() ||
                   !auth.oidc_redirect_uri.empty();
  if (!any) return absl::OkStatus();
  if (!auth.enabled) return absl::InvalidArgumentError("the --oidc-* flags need --auth");
  if (auth.oidc_issuer.empty() || auth.oidc_audience.empty()) {
    return absl::InvalidArgumentError("OIDC needs both --oidc-issuer and --oidc-audience");
  }
  if (!IsHttpUrl(auth.oidc_issuer) ||
      (!auth.oidc_jwks_url.empty() && !IsHttpUrl(auth.oidc_jwks_url)) ||
      (!auth.oidc_redirect_uri.empty() && !IsHttpUrl(auth.oidc_redirect_uri))) {
    return absl::InvalidArgumentError(
        "--oidc-issuer, --oidc-jwks-url and --oidc-redirect-uri must be http(s) URLs");
  }
  if ((" " + auth.oidc_scopes + " ").find(" openid ") == std::string::npos) {
    return absl::InvalidArgumentError("--oidc-scopes must include openid");
  }
  if (auth.oidc_username_claim.empty() || auth.oidc_groups_claim.empty()) {
    return absl::InvalidArgumentError("--oidc-username-claim and --oidc-groups-claim need a name");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<AuthFlags> AuthFlagsFrom(const FlagSet& flags) {
  AuthFlags auth;
  auth.enabled = flags.GetBool("auth");
  auth.insecure_no_auth = flags.GetBool("insecure-no-auth");
  auth.default_permission = flags.Get("auth-default-permission");
  if (auth.enabled && auth.insecure_no_auth) {
    return absl::InvalidArgumentError("give --auth or --insecure-no-auth, not both");
  }
  RETURN_IF_ERROR(ReadOidcFlags(flags, auth));
  static constexpr const char* kLevels[] = {"READ", "USE", "EDIT", "MANAGE", "NO_PERMISSIONS"};
  for (const char* level : kLevels) {
    if (auth.default_permission == level) return auth;
  }
  return absl::InvalidArgumentError(
      "--auth-default-permission must be READ, USE, EDIT, MANAGE "
      "or NO_PERMISSIONS, got '" +
      auth.default_permission + "'");
}

}  // namespace ferry::cli
