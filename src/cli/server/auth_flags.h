#pragma once
// The authentication flags of `ferry server` (docs/AUTH.md): --auth, --insecure-no-auth and
// --auth-default-permission. app/ enforces that a non-loopback address needs one of the first
// two, and reads the first admin from FERRY_ADMIN_USERNAME / FERRY_ADMIN_PASSWORD.

#include <string>

#include "common/status.h"

namespace ferry::cli {

class FlagSet;

struct AuthFlags {
  bool enabled = false;
  bool insecure_no_auth = false;            // listen beyond loopback without auth, knowingly
  std::string default_permission = "READ";  // for users without a grant (MLflow's default)
};

void DeclareAuthFlags(FlagSet& flags);
// kInvalidArgument for an unknown permission or contradictory flags.
absl::StatusOr<AuthFlags> AuthFlagsFrom(const FlagSet& flags);

}  // namespace ferry::cli
