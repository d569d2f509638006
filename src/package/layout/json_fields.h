#pragma once
// Strict JSON field readers shared by the package parsers. Every error is kInvalidArgument
// and starts with the field's path ("layers[1].digest: ..."), so a user can find the bad
// field in the document.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace ferry::package::internal {

// "parent.key", or "key" at the top level.
std::string FieldPath(std::string_view parent, std::string_view key);
// "parent[i]".
std::string IndexPath(std::string_view parent, size_t i);
// kInvalidArgument "<path>: <message>" ("<what>: <message>" at the top level).
absl::Status FieldError(std::string_view path, std::string_view message);

// OK if `v` is an object without duplicate keys.
absl::Status CheckObject(const JsonValue& v, std::string_view path);
// The string member `key`; an error if absent or not a string.
absl::StatusOr<std::string> RequiredString(const JsonValue& obj, std::string_view key,
                                           std::string_view path);
// The string member `key`, or nullopt when absent or null; an error for other types.
absl::StatusOr<std::optional<std::string>> OptionalString(const JsonValue& obj,
                                                          std::string_view key,
                                                          std::string_view path);
// The integer member `key`; an error if absent, not an integer or negative.
absl::StatusOr<int64_t> RequiredNonNegativeInt(const JsonValue& obj, std::string_view key,
                                               std::string_view path);
// A {string: string} object, or {} when the member is absent.
absl::StatusOr<std::map<std::string, std::string>> OptionalStringMap(const JsonValue& obj,
                                                                     std::string_view key,
                                                                     std::string_view path);
// An array of strings, or {} when the member is absent.
absl::StatusOr<std::vector<std::string>> OptionalStringArray(const JsonValue& obj,
                                                             std::string_view key,
                                                             std::string_view path);

}  // namespace ferry::package::internal
