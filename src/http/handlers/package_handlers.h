#pragma once
// Ferry's package API (/api/ferry/v1/packages): handing a signed package to this server.

#include "http/router.h"
#include "package/intake/package_intake.h"

namespace ferry::http {

// POST /api/ferry/v1/packages with an OCI-layout tar as the body (application/x-tar):
// imported, verified under the server's trust policy and stored; answers the package's
// digest, name, version, the model-version `source` to register it with, and the checks
// that passed. Unsafe or tampered archives get 400/403 naming the entry, blob or key.
void RegisterPackageRoutes(Router& router, package::PackageIntake& intake);

}  // namespace ferry::http
