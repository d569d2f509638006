#pragma once
// Checks on relative file paths taken from package metadata (layer filepath annotations,
// predictor entries) and from tar entry names: both are untrusted input.

#include <string_view>

#include "common/status.h"

namespace ferry::package {

// OK if `path` is relative and stays inside its root: non-empty, no leading '/', no empty,
// "." or ".." components, no backslash or NUL, at most 4096 bytes. kInvalidArgument
// "<what>: ..." with the reason otherwise.
absl::Status ValidateRelativePath(std::string_view path, std::string_view what);

}  // namespace ferry::package
