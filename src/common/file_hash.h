#pragma once
// The two hot paths of file handling: hashing a file and copying a file while hashing it
// (packages, the artifact store, pulls). Both read with large buffers
// and tell the kernel the access is sequential; the copy runs on a second thread so that
// hashing (the bottleneck) never waits for it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/fs.h"
#include "common/progress.h"
#include "common/status.h"

namespace ferry {

struct HashResult {
  std::string hex;  // 64 lowercase hex digits
  int64_t size = 0;
};

// Hashes the whole of `fd` (already open, at offset 0). `path` names it in errors and in the
// byte progress reports (after each chunk); copies report under `dst_path`.
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
}  // namespace ferry
