#pragma once
// Ferry's package API (/api/ferry/v1/packages): handing a signed package to this server.

#include "http/handlers/blocking_worker.h"
#include "http/router.h"
#include "package/intake/package_intake.h"

namespace ferry::store {
class WorkspaceStore;
}

namespace ferry::http {

// POST /api/ferry/v1/packages with an OCI-layout tar as the body (application/x-tar):
// imported, verified under the server's trust policy and stored; answers the package's
// digest, name, version, the model-version `source` to register it with, and the checks
// that passed. Unsafe or tampered archives get 400/403 naming the entry, blob or key.
// The body streams to a file; the import and verification (about 1 s per GB) run on `worker`,
// never on the event loop, and a full worker queue answers 503 + Retry-After. `intake` and
// `worker` must outlive the router's server. A null `worker` imports on the event loop (only
// tests' controls do that). With `workspaces`, a workspace's own trust policy
// (trust_policy_handlers.h) replaces the server's for packages sent into it.
void RegisterPackageRoutes(Router& router, package::PackageIntake& intake, BlockingWorker* worker,
                           store::WorkspaceStore* workspaces = nullptr);

}  // namespace ferry::http
