#pragma once
// `ferry serve --auth` composed: the operator's token file read (or created with new tokens,
// shown once) and the access check put in front of every route (docs/AUTH.md, "Inference
// servers").

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::auth {
class ServeTokens;
}
namespace ferry::http {
class Router;
}

namespace ferry::app {

// The tokens of `path`. When it does not exist, creates it (mode 0600) with two new tokens,
// `admin` (scope admin) and `infer` (scope infer), stores only their SHA-256 and prints the
// tokens once on stderr. kInvalidArgument naming the line for a malformed file.
absl::StatusOr<std::unique_ptr<auth::ServeTokens>> LoadServeTokens(const std::string& path);

// Puts the token check in front of every route; call once all routes are in. Fails, naming
// them, when a route has no serve access rule. `deployed_models` lists the deployments served.
// `tokens` must outlive the router's server.
absl::Status GuardServeRoutes(http::Router& router, const auth::ServeTokens& tokens,
                              std::function<std::vector<std::string>()> deployed_models);

}  // namespace ferry::app
