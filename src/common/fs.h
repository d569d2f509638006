#pragma once
// File-system primitives returning Status, the only ones in the tree: an owning file
// descriptor, whole reads and writes, temp files and directories, removing a tree. Paths are
// plain std::string. Hashing and copying files: common/file_hash.h.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ferry {

// Owns a file descriptor; closes it on destruction. Move-only.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.Release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives up ownership: returns the descriptor (or -1) without closing it.
  int Release() { return std::exchange(fd_, -1); }
  // Closes the descriptor (if any); returns close(2)'s errno, or 0. Linux releases the
  // descriptor even when close fails, so it is never retried.
  int Close();

 private:
  int fd_ = -1;
};

// Opens a regular file for reading, advising sequential access (kFailedPrecondition for
// anything else). Its size goes to `size` when not null.
absl::StatusOr<Fd> OpenRegularFile(const std::string& path, int64_t* size);
// write(2) until done, retrying EINTR.
absl::Status WriteAll(int fd, std::string_view data, const std::string& path);
// The names in `dir` (no "." or ".."), in readdir order.
absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir);
// The regular files under `dir`, as paths relative to it ("code/loader.py"), sorted;
// symbolic links are not followed (neither listed nor descended into).
absl::StatusOr<std::vector<std::string>> ListTree(const std::string& dir);
// Readies `path` to receive a directory by rename: OK if it is absent or an empty directory
// (which it removes), kAlreadyExists otherwise.
absl::Status ClearRenameTarget(const std::string& path);
// Removes `path` and everything under it (not following symlinks). OK if absent.
absl::Status RemoveTree(const std::string& path);
// A fresh temp file in `dir` ("<dir>/.tmp-XXXXXX"); its path goes to `path`.
absl::StatusOr<Fd> MakeTempFile(const std::string& dir, std::string* path);

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
  // A fresh directory "<target>.<tag>-XXXXXX" beside `target` (trailing '/' ignored), on the
  // same file system so that MoveTo(target) is one atomic rename.
  static absl::StatusOr<TempDir> CreateBeside(std::string_view target, std::string_view tag);
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&& other) noexcept;
  ~TempDir();

  const std::string& path() const { return path_; }
  // Renames the directory onto `target` (absent or an empty directory) and gives up ownership.
  // On failure the TempDir still owns (and will remove) it.
  absl::Status MoveTo(const std::string& target);
  // Gives up ownership without removing anything; returns the path.
  std::string Release() { return std::exchange(path_, std::string()); }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace ferry
