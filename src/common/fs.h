#pragma once
// File-system helpers returning Status. Paths are plain std::string.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry {

// Creates `path` and its parents (mode 0755). OK if it already exists as a directory.
absl::Status MakeDirs(const std::string& path);
// Reads a whole file. kNotFound if it does not exist.
absl::StatusOr<std::string> ReadFile(const std::string& path);
// Writes `data` to a temp file beside `path`, fsyncs, and renames over `path`.
absl::Status WriteFileAtomic(const std::string& path, std::string_view data);
bool PathExists(const std::string& path);
// Turns errno into a Status with the path and operation named.
absl::Status ErrnoStatus(int err, std::string_view op, std::string_view path);
// The process's working directory ("." if it cannot be read).
std::string CurrentDir();
// Joins two path pieces with exactly one '/'.
std::string JoinPath(std::string_view a, std::string_view b);

// A fresh private directory "$TMPDIR/<prefix>-XXXXXX" ($TMPDIR defaults to /tmp), removed with
// everything in it when the TempDir is destroyed. Movable, not copyable.
class TempDir {
 public:
  static absl::StatusOr<TempDir> Create(std::string_view prefix);
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&& other) noexcept;
  ~TempDir();

  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace ferry
