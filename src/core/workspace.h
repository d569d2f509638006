#pragma once
// Workspaces (`ferry server --enable-workspaces`, MLflow 3's name): the part of a server an
// experiment belongs to. A request names its workspace with the X-MLFLOW-WORKSPACE header;
// without it, and always without --enable-workspaces, it works in `default`, which always
// exists and holds everything made before workspaces existed.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry {

inline constexpr std::string_view kDefaultWorkspace = "default";

struct Workspace {
  std::string name;
  std::string description;
  int64_t creation_time = 0;
};

// MLflow 3's rule for a workspace name (a Kubernetes namespace name): 2 to 63 characters of
// lowercase letters, digits and inner hyphens, not one of the reserved names the server's
// paths use. kInvalidArgument naming the rule broken, or OK.
absl::Status ValidateWorkspaceName(std::string_view name);

// Registered models (and the grants on them) are named per workspace. `default`'s keep their
// plain names, so data, deployments and grants from before workspaces stay valid; another
// workspace's are keyed `<workspace>` U+001F `<name>` (docs/ARCHITECTURE.md, Workspaces).
// Model names holding U+001F are refused (core/registry_validation.h), so a key never
// mistakes one for the other. Only stores form keys; none reaches the wire.
inline constexpr char kWorkspaceKeySeparator = '\x1f';
// `name` for `default` (or an empty workspace), else `<workspace>` U+001F `<name>`.
std::string WorkspaceKey(std::string_view workspace, std::string_view name);
// The workspace and name of a key made by WorkspaceKey.
struct WorkspaceName {
  std::string workspace;
  std::string name;
};
WorkspaceName SplitWorkspaceKey(std::string_view key);

}  // namespace ferry
