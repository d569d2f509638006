#include "tracking/artifact_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "common/fs.h"

namespace ferry::tracking {

absl::Status StoreLocalFile(ArtifactService& artifacts, const std::string& path,
                            const std::string& local) {
  int fd = ::open(local.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "open", local);
  auto upload = artifacts.BeginUpload(path);
  absl::Status s = upload.status();
  char buf[1 << 16];
  while (s.ok()) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) s = ErrnoStatus(errno, "read", local);
    if (n <= 0) break;
    s = (*upload)->Append(std::string_view(buf, static_cast<size_t>(n)));
  }
  ::close(fd);
  if (!s.ok()) {
    if (upload.ok()) (*upload)->Abort();
    return s;
  }
  return (*upload)->Commit().status();
}

}  // namespace ferry::tracking
