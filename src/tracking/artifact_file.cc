#include "tracking/artifact_file.h"

#include <unistd.h>

#include <cerrno>

#include "common/fs.h"

namespace ferry::tracking {

absl::Status StoreLocalFile(ArtifactService& artifacts, const std::string& path,
                            const std::string& local) {
  ASSIGN_OR_RETURN(Fd fd, OpenRegularFile(local, nullptr));
  auto upload = artifacts.BeginUpload(path);
  absl::Status s = upload.status();
  char buf[1 << 16];
  while (s.ok()) {
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) s = ErrnoStatus(errno, "read", local);
    if (n <= 0) break;
    s = (*upload)->Append(std::string_view(buf, static_cast<size_t>(n)));
  }
  if (!s.ok()) {
    if (upload.ok()) (*upload)->Abort();
    return s;
  }
  return (*upload)->Commit().status();
}

}  // namespace ferry::tracking
