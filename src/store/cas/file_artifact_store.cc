#include "store/cas/file_artifact_store.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/fs.h"
#include "common/strings.h"
#include "store/cas/file_blob.h"

namespace ferry::store::cas {
namespace {

using internal::BlobPath;
using internal::FileBlobReader;
using internal::FileBlobWriter;

constexpr std::string_view kTempSuffix = ".tmp";
constexpr size_t kInstanceTagLength = 16;

// 16 random hex chars fixed for the life of this process. Temp names carry it so that a
// restarted process that got the same pid (pid 1 in a container) can tell its predecessor's
// leftovers from its own files.
const std::string& InstanceTag() {
  static const std::string tag = [] {
    uint64_t value = 0;
    if (::getrandom(&value, sizeof(value), 0) != static_cast<ssize_t>(sizeof(value))) {
      value = static_cast<uint64_t>(::time(nullptr)) * 0x9E3779B97F4A7C15ull ^ ::getpid();
    }
    char hex[kInstanceTagLength + 1];
    std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(value));
    return std::string(hex);
  }();
  return tag;
}

// Creates "<tmp_dir>/<pid>-<instance>-XXXXXX.tmp" exclusively, mode 0600, close-on-exec.
absl::StatusOr<std::pair<Fd, std::string>> MakeStoreTempFile(const std::string& tmp_dir) {
  std::string path = JoinPath(tmp_dir, std::to_string(::getpid()) + "-" + InstanceTag() +
                                           "-XXXXXX" + std::string(kTempSuffix));
  Fd fd(::mkostemps(path.data(), static_cast<int>(kTempSuffix.size()), O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(errno, "create temp file in", tmp_dir);
  return std::make_pair(std::move(fd), std::move(path));
}

// True for a temp file name of ours whose writer cannot be running any more. Names that do
// not follow our pattern are left alone.
bool IsStaleTempName(std::string_view name) {
  if (!EndsWith(name, kTempSuffix)) return false;
  std::vector<std::string_view> parts = SplitString(name, '-');
  if (parts.size() != 3 || parts[1].size() != kInstanceTagLength) return false;
  std::optional<int64_t> pid = ParseInt64(parts[0]);
  if (!pid || *pid <= 0 || *pid > INT_MAX) return false;
  if (*pid == ::getpid()) return parts[1] != InstanceTag();
  return ::kill(static_cast<pid_t>(*pid), 0) != 0 && errno == ESRCH;
}

absl::Status RemoveStaleTempFiles(const std::string& tmp_dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(tmp_dir));
  for (const std::string& name : names) {
    if (!IsStaleTempName(name)) continue;
    const std::string path = JoinPath(tmp_dir, name);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus(errno, "unlink", path);
  }
  return absl::OkStatus();
}

// Checks that a file can be created in `tmp_dir` (which catches read-only mounts even for
// root, where access(2) would not).
absl::Status ProbeWritable(const std::string& tmp_dir) {
  ASSIGN_OR_RETURN(auto temp, MakeStoreTempFile(tmp_dir));
  temp.first.Close();
  if (::unlink(temp.second.c_str()) != 0) return ErrnoStatus(errno, "unlink", temp.second);
  return absl::OkStatus();
}

}  // namespace

FileArtifactStore::FileArtifactStore(std::string root)
    : root_(std::move(root)),
      blobs_dir_(JoinPath(root_, "blobs/sha256")),
      tmp_dir_(JoinPath(root_, "tmp")) {}

absl::StatusOr<ArtifactStorePtr> FileArtifactStore::Create(const std::string& root) {
  if (root.empty()) return absl::InvalidArgumentError("artifact store root is empty");
  std::unique_ptr<FileArtifactStore> store(new FileArtifactStore(root));
  absl::Status status = MakeDirs(store->blobs_dir_);
  if (status.ok()) status = MakeDirs(store->tmp_dir_);
  if (status.ok()) status = ProbeWritable(store->tmp_dir_);
  if (status.ok()) status = RemoveStaleTempFiles(store->tmp_dir_);
  if (!status.ok()) {
    return absl::Status(status.code(), "artifact store root '" + root +
                                           "' is not usable: " + std::string(status.message()));
  }
  return store;
}

absl::StatusOr<std::unique_ptr<BlobWriter>> FileArtifactStore::NewWriter() {
  ASSIGN_OR_RETURN(auto temp, MakeStoreTempFile(tmp_dir_));
  return std::make_unique<FileBlobWriter>(std::move(temp.first), std::move(temp.second),
                                          blobs_dir_);
}

absl::StatusOr<std::unique_ptr<BlobReader>> FileArtifactStore::Open(const std::string& digest) {
  RETURN_IF_ERROR(CheckBlobDigest(digest));
  std::string path = BlobPath(blobs_dir_, digest);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return absl::NotFoundError("blob " + digest + " not found");
    return ErrnoStatus(errno, "open", path);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, "stat", path);
  return std::make_unique<FileBlobReader>(std::move(fd), static_cast<int64_t>(st.st_size),
                                          std::move(path));
}

bool FileArtifactStore::Exists(const std::string& digest) {
  if (!IsValidBlobDigest(digest)) return false;
  struct stat st;
  return ::stat(BlobPath(blobs_dir_, digest).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

absl::Status FileArtifactStore::Delete(const std::string& digest) {
  RETURN_IF_ERROR(CheckBlobDigest(digest));
  std::string path = BlobPath(blobs_dir_, digest);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus(errno, "unlink", path);
  return absl::OkStatus();
}

}  // namespace ferry::store::cas
