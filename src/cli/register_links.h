#pragma once
// What `ferry models register` records of where a version came from, for lineage: the run
// that trained it (the package names it) and, as version tags, the package's digest and the
// pipeline run and step that registered it.

#include <string>
#include <vector>

#include "common/status.h"
#include "core/tracking_types.h"

namespace ferry::cli {

// The training run a package names (its config's sourceRunId) when the server at
// `tracking_uri` holds that run; "" when the package names none or the run is not there (a
// package handed over from another organisation's server). `path` is a layout directory or
// an OCI-layout tar; errors name it.
absl::StatusOr<std::string> PackageRunOnServer(const std::string& path,
                                               const std::string& tracking_uri);

// The version's lineage tags: ferry.package.digest (when `package_digest` is not empty) and,
// inside a pipeline step (FERRY_PIPELINE_RUN / FERRY_PIPELINE_STEP set), ferry.pipeline.run
// and ferry.step.
std::vector<KeyValue> RegistrationTags(const std::string& package_digest);

}  // namespace ferry::cli
