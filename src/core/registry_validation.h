#pragma once
// MLflow's model registry input rules (mlflow/utils/validation.py), as pure functions. Each
// returns kInvalidArgument with MLflow's message, or OK.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry {

inline constexpr size_t kMaxRegistryTagKeyLength = 250;
inline constexpr size_t kMaxRegistryTagValueLength = 5000;
inline constexpr size_t kMaxModelAliasLength = 255;
inline constexpr int64_t kMaxRegisteredModelsSearchResults = 1000;
inline constexpr int64_t kDefaultRegisteredModelsSearchResults = 100;
inline constexpr int64_t kMaxModelVersionsSearchResults = 200000;

// Non-empty ("Missing value for required parameter '<field>'.", field is name or new_name)
// and without U+001F, the separator of workspace keys (core/workspace.h).
absl::Status ValidateModelName(std::string_view name, std::string_view field = "name");
// A decimal integer string: "Parameter 'version' must be an integer, got '<v>'."
absl::StatusOr<int64_t> ParseModelVersionNumber(std::string_view version);
// `^[\w\-]*$`, non-empty, at most 255 characters, not "latest" in any case, not "v<digits>".
absl::Status ValidateModelAlias(std::string_view alias);
// Key as a run tag key; key at most 250 and value at most 5000 characters.
absl::Status ValidateRegistryTag(std::string_view key, std::string_view value);

}  // namespace ferry
