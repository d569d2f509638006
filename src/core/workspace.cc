#include "core/workspace.h"

#include <string>

namespace ferry {
namespace {

bool LowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

absl::Status ValidateWorkspaceName(std::string_view name) {
  const std::string quoted = "Workspace name '" + std::string(name) + "'";
  if (name.size() < 2 || name.size() > 63) {
    return absl::InvalidArgumentError(quoted + " must be between 2 and 63 characters.");
  }
  bool shape = LowerAlnum(name.front()) && LowerAlnum(name.back());
  for (char c : name) shape = shape && (LowerAlnum(c) || c == '-');
  if (!shape) {
    return absl::InvalidArgumentError(
        quoted +
        " must match the pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ (lowercase alphanumeric "
        "with optional internal hyphens).");
  }
  for (std::string_view reserved : {"workspaces", "api", "ajax-api", "static-files"}) {
    if (name == reserved) return absl::InvalidArgumentError(quoted + " is reserved.");
  }
  return absl::OkStatus();
}

std::string WorkspaceKey(std::string_view workspace, std::string_view name) {
  if (workspace.empty() || workspace == kDefaultWorkspace) return std::string(name);
  std::string key(workspace);
  key += kWorkspaceKeySeparator;
  key += name;
  return key;
}

WorkspaceName SplitWorkspaceKey(std::string_view key) {
  size_t at = key.find(kWorkspaceKeySeparator);
  if (at == std::string_view::npos) return {std::string(kDefaultWorkspace), std::string(key)};
  return {std::string(key.substr(0, at)), std::string(key.substr(at + 1))};
}

}  // namespace ferry
