#include "package/layout/paths.h"

#include <string>

#include "common/strings.h"

namespace ferry::package {

absl::Status ValidateRelativePath(std::string_view path, std::string_view what) {
  auto fail = [&](std::string_view why) {
    return absl::InvalidArgumentError(std::string(what) + ": \"" +
                                      std::string(path.substr(0, 200)) + "\" " + std::string(why));
  };
  if (path.empty()) return fail("is empty");
  if (path.size() > 4096) return fail("is longer than 4096 bytes");
  if (path.front() == '/') return fail("is an absolute path");
  if (path.find('\0') != std::string_view::npos) return fail("contains a NUL byte");
  if (path.find('\\') != std::string_view::npos) return fail("contains a backslash");
  for (std::string_view part : SplitString(path, '/')) {
    if (part == "..") return fail("escapes its root (\"..\")");
    if (part.empty() || part == ".") return fail("has an empty or \".\" component");
  }
  return absl::OkStatus();
}

}  // namespace ferry::package
