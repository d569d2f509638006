#include "core/registry_validation.h"

#include <cctype>

#include "common/strings.h"
#include "core/validation.h"
#include "core/workspace.h"

namespace ferry {
namespace {

bool IsAliasChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
         static_cast<unsigned char>(c) >= 0x80;  // \w is Unicode-aware in Python
}

// `^[vV]\d+$`: the form MLflow reserves for version references.
bool LooksLikeVersion(std::string_view alias) {
  if (alias.size() < 2 || (alias[0] != 'v' && alias[0] != 'V')) return false;
  for (char c : alias.substr(1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::Status TooLong(std::string_view what, size_t limit) {
  return absl::InvalidArgumentError("'" + std::string(what) + "' exceeds the maximum length of " +
                                    std::to_string(limit) + " characters");
}

}  // namespace

absl::Status ValidateModelName(std::string_view name, std::string_view field) {
  if (name.empty()) {
    return absl::InvalidArgumentError("Missing value for required parameter '" +
                                      std::string(field) + "'.");
  }
  // The separator of workspace keys (core/workspace.h).
  if (name.find(kWorkspaceKeySeparator) != std::string_view::npos) {
    return absl::InvalidArgumentError("Invalid value for parameter '" + std::string(field) +
                                      "': a registered model name cannot contain U+001F.");
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ParseModelVersionNumber(std::string_view version) {
  std::optional<int64_t> n = ParseInt64(version);
  if (!n) {
    return absl::InvalidArgumentError("Parameter 'version' must be an integer, got '" +
                                      std::string(version) + "'.");
  }
  return *n;
}

absl::Status ValidateModelAlias(std::string_view alias) {
  if (alias.empty()) {
    return absl::InvalidArgumentError("Registered model alias name cannot be empty.");
  }
  for (char c : alias) {
    if (!IsAliasChar(c)) {
      return absl::InvalidArgumentError(
          "Invalid alias name: '" + std::string(alias) +
          "'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
    }
  }
  if (alias.size() > kMaxModelAliasLength) {
    return TooLong("Registered model alias name", kMaxModelAliasLength);
  }
  if (EqualsIgnoreCase(alias, "latest")) {
    return absl::InvalidArgumentError("'latest' alias name (case insensitive) is reserved.");
  }
  if (LooksLikeVersion(alias)) {
    return absl::InvalidArgumentError("Version alias name '" + std::string(alias) +
                                      "' is reserved.");
  }
  return absl::OkStatus();
}

absl::Status ValidateRegistryTag(std::string_view key, std::string_view value) {
  RETURN_IF_ERROR(ValidateEntityKey("tag", key));
  if (key.size() > kMaxRegistryTagKeyLength) return TooLong("key", kMaxRegistryTagKeyLength);
  if (value.size() > kMaxRegistryTagValueLength) {
    return TooLong("value", kMaxRegistryTagValueLength);
  }
  return absl::OkStatus();
}

}  // namespace ferry
