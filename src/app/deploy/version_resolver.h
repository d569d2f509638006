#pragma once
// Model references -> what serving loads: a VersionRef whose source is a local package path,
// and the loader that turns it into a Predictor through the runtime's families.

#include <string>

#include "common/status.h"
#include "loader/mlflow_model.h"
#include "runtime/family.h"
#include "serving/deployment.h"

namespace ferry::app {

// Resolves models:/NAME@ALIAS, models:/NAME/V, models:/NAME/STAGE and models:/NAME/latest
// (as MLflow: the latest version in that stage, the highest version) through the registry at
// `tracking_uri` (fetching the package into `cache_dir`; the family is then left to the loader), or
// takes a local package path, whose config gives its name, version and family, or a local
// MLflow model directory (holding MLmodel), named after the directory, version "1".
absl::StatusOr<serving::VersionRef> ResolveVersion(const std::string& uri,
                                                   const std::string& tracking_uri,
                                                   const std::string& cache_dir);

// Loads ref.source (a package path or an MLflow model directory, loader::LoadModelSource)
// with `families`, which must outlive the loader, as far as `options` trust it (its trust
// policy must outlive the loader too).
serving::VersionLoader PackageLoader(const runtime::FamilyRegistry& families,
                                     loader::LoadOptions options);

}  // namespace ferry::app
