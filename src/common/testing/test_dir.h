#pragma once
// The one scratch-directory helper for tests: common/fs's TempDir, made or the test binary
// stops (nothing sensible follows a failed mkdtemp). Test-only.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/fs.h"

namespace ferry::testing {

// "$TMPDIR/<prefix>-XXXXXX", removed with everything in it when the TestDir is destroyed.
class TestDir {
 public:
  explicit TestDir(std::string_view prefix = "ferry-test") : dir_(Make(prefix)) {}

  const std::string& path() const { return dir_.path(); }
  // Creates <path>/<name> (and its parents) and returns it.
  std::string Sub(const std::string& name) const {
    std::string sub = JoinPath(dir_.path(), name);
    (void)MakeDirs(sub);
    return sub;
  }
  // Gives up ownership (the directory outlives the TestDir); returns the path.
  std::string Release() { return dir_.Release(); }

 private:
  static TempDir Make(std::string_view prefix) {
    absl::StatusOr<TempDir> dir = TempDir::Create(prefix);
    if (!dir.ok()) {
      std::fprintf(stderr, "TestDir: %s\n", dir.status().ToString().c_str());
      std::abort();
    }
    return std::move(*dir);
  }

  TempDir dir_;
};

}  // namespace ferry::testing
