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
}

absl::StatusOr<AuthFlags> AuthFlagsFrom(const FlagSet& flags) {
  AuthFlags auth;
  auth.enabled = flags.GetBool("auth");
  auth.insecure_no_auth = flags.GetBool("insecure-no-auth");
  auth.default_permission = flags.Get("auth-default-permission");
  if (auth.enabled && auth.insecure_no_auth) {
    return absl::InvalidArgumentError("give --auth or --insecure-no-auth, not both");
  }
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
