#pragma once
// Storing a local file as an artifact through the artifact proxy's service (streamed).

#include <string>

#include "common/status.h"
#include "tracking/artifact_service.h"

namespace ferry::tracking {

// Streams `local` into the artifact store at `path` (relative to the artifact root, e.g.
// "<experiment>/<run>/artifacts/model/model.json"). Errors name the local file.
absl::Status StoreLocalFile(ArtifactService& artifacts, const std::string& path,
                            const std::string& local);

}  // namespace ferry::tracking
