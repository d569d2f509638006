#pragma once
// A workspace's package trust policy (docs/SIGNING.md, "Trust policies per workspace"):
// GET, PUT and DELETE /api/ferry/v1/trust-policy act on the request's workspace (the
// X-MLFLOW-WORKSPACE header; `default` without --enable-workspaces). PUT's body is the policy
// document itself, as in a policy file, with every key inline (`pem`): a key `path` is
// refused, so a request cannot make the server read its files. The package intake
// (package_handlers.h) applies the workspace's policy instead of the server's --trust-policy.

#include <memory>
#include <string>

#include "common/status.h"

namespace ferry::package {
class TrustPolicy;
}
namespace ferry::store {
class WorkspaceStore;
}

namespace ferry::http {

class Router;

// The policy that packages sent into `workspace` must pass: the workspace's own, or null when
// it has none (the server's applies). kInvalidArgument if the stored text no longer parses.
absl::StatusOr<std::shared_ptr<const package::TrustPolicy>> WorkspaceTrustPolicy(
    store::WorkspaceStore& store, const std::string& workspace);

void RegisterTrustPolicyRoutes(Router& router, store::WorkspaceStore& store);

}  // namespace ferry::http
