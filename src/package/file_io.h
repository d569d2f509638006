#pragma once
// File helpers for the package code: an owning fd, whole reads/writes, and the two hot
// paths, hashing a file and copying a file while hashing it. Both read with large buffers
// and tell the kernel the access is sequential; the copy runs on a second thread so that
// hashing (the bottleneck) never waits for it.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

namespace ferry::package {

// Owns a file descriptor; closes it on destruction. Move-only.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Closes the descriptor; returns close(2)'s errno, or 0.
  int Close();

 private:
  int fd_ = -1;
};

// Called with (bytes done, bytes total) after each chunk.
using ProgressFn = std::function<void(int64_t, int64_t)>;

struct HashResult {
  std::string hex;  // 64 lowercase hex digits
  int64_t size = 0;
};

// Opens a regular file for reading (kFailedPrecondition for anything else).
absl::StatusOr<Fd> OpenRegularFile(const std::string& path, int64_t* size);
// Hashes the whole of `fd` (already open, at offset 0). `path` names it in errors.
absl::StatusOr<HashResult> HashFd(int fd, const std::string& path, const ProgressFn& progress);
// Copies `src` into the new file `dst_fd` (opened read-write) and hashes the bytes
// written, in one pass: copy_file_range(2) on a second thread while this one hashes the
// destination as it lands, or, where the file system cannot do that, read(2) here
// and write(2) on a second thread.
absl::StatusOr<HashResult> CopyAndHash(int src_fd, const std::string& src_path, int dst_fd,
                                       const std::string& dst_path, const ProgressFn& progress);
// The copy_file_range half of CopyAndHash: copies `length` bytes (-1: to EOF) from the
// current position of `src_fd` and hashes them as they land in `dst_fd`. A short source
// gives a short result (the caller checks the size). nullopt when the kernel or file
// system cannot copy_file_range these files; nothing has been consumed or written then.
std::optional<absl::StatusOr<HashResult>> KernelCopyAndHash(int src_fd, int dst_fd, int64_t length,
                                                            const std::string& dst_path,
                                                            const ProgressFn& progress);
// write(2) until done, retrying EINTR.
absl::Status WriteAll(int fd, std::string_view data, const std::string& path);
// Removes `path` and everything under it (not following symlinks). OK if absent.
absl::Status RemoveTree(const std::string& path);
// A fresh temp file in `dir` ("<dir>/.tmp-XXXXXX"); its path goes to `path`.
absl::StatusOr<Fd> MakeTempFile(const std::string& dir, std::string* path);

}  // namespace ferry::package
