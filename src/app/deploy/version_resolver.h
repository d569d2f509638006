#pragma once
// Model references -> what serving loads: a VersionRef whose source is a local package path,
// and the loader that turns it into a Predictor through the runtime's families.

#include <string>

#include "common/status.h"
#include "runtime/family.h"
#include "serving/deployment.h"

namespace ferry::app {

// Resolves models:/NAME@ALIAS, models:/NAME/V, models:/NAME/STAGE and models:/NAME/latest
// (as MLflow: the latest version in that stage, the highest version) through the registry at
// `tracking_uri` (fetching the package into `cache_dir`; the family is then left to the loader), or
// takes a local package path, whose config gives its name, version and family.
absl::StatusOr<serving::VersionRef> ResolveVersion(const std::string& uri,
                                                   const std::string& tracking_uri,
                                                   const std::string& cache_dir);

// Loads ref.source (a package path) with `families`, which must outlive the loader.
serving::VersionLoader PackageLoader(const runtime::FamilyRegistry& families);

}  // namespace ferry::app
