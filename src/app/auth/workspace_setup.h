#pragma once
// `ferry server --enable-workspaces` composed (docs/AUTH.md, Workspaces): MLflow 3's
// workspace routes over the metadata backend, and the two checks of
// http/handlers/auth/workspace_guard.h around --auth's.

#include <functional>

#include "common/status.h"
#include "http/handlers/auth/request_resources.h"

namespace ferry::http {
class Router;
}
namespace ferry::store {
class MetadataBackend;
}
namespace ferry::auth {
class AuthService;
}

namespace ferry::app {

// Adds the workspace routes; call with the other routes. With `auth` (--auth), also the
// member routes, and listing and reading workspaces show only those the caller may see.
void RegisterWorkspaces(http::Router& router, store::MetadataBackend& backend,
                        auth::AuthService* auth);

// Once every route is in: the workspace check innermost, then `guard_auth` (--auth's, or
// nothing), then the reading of X-MLFLOW-WORKSPACE outermost.
absl::Status GuardWorkspaces(http::Router& router, store::MetadataBackend& backend,
                             const http::ResourceLookup& lookup,
                             const std::function<absl::Status()>& guard_auth);

}  // namespace ferry::app
