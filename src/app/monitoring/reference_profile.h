#pragma once
// The reference profile a package carries (`ferry package build --reference-data`, the layer
// ferry.referenceProfile names), decoded for live monitoring.

#include <optional>
#include <string>

#include "common/status.h"
#include "monitoring/profile/dataset_profile.h"

namespace ferry::app {

// nullopt when the package has no reference profile; errors name the package or the profile's
// offset (a package that cannot be read, a profile that does not decode).
absl::StatusOr<std::optional<monitoring::DatasetProfile>> LoadReferenceProfile(
    const std::string& package_path);

}  // namespace ferry::app
