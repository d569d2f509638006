#pragma once
// How the access checks of --auth and --enable-workspaces find the experiments a request
// names (http::ResourceLookup), and an experiment's workspace. One instance serves both
// checks, so a run's experiment is read once.

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/handlers/auth/request_resources.h"

namespace ferry::store {
class MetadataStore;
}
namespace ferry::tracking {
class TrackingService;
}

namespace ferry::app {

// `tracking` null (--artifacts-only): no run or experiment name is found.
// `deployed_models` lists the deployments served (empty function: none).
http::ResourceLookup MakeResourceLookup(tracking::TrackingService* tracking,
                                        std::function<std::vector<std::string>()> deployed_models);

// An experiment's workspace, remembered (it never changes); kNotFound for no such experiment.
std::function<absl::StatusOr<std::string>(const std::string& experiment_id)>
MakeExperimentWorkspaces(store::MetadataStore& store);

}  // namespace ferry::app
