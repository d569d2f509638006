#include "common/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace ferry {

absl::Status ErrnoStatus(int err, std::string_view op, std::string_view path) {
  std::string msg = std::string(op) + " '" + std::string(path) + "': " + std::strerror(err);
  switch (err) {
    case ENOENT:
      return absl::NotFoundError(msg);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(msg);
    case EEXIST:
      return absl::AlreadyExistsError(msg);
    case ENOSPC:
      return absl::ResourceExhaustedError(msg);
    default:
      return absl::InternalError(msg);
  }
}

absl::Status MakeDirs(const std::string& path) {
  if (path.empty()) return absl::OkStatus();
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return absl::OkStatus();
    return absl::FailedPreconditionError("'" + path + "' exists and is not a directory");
  }
  size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) RETURN_IF_ERROR(MakeDirs(path.substr(0, slash)));
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) return ErrnoStatus(errno, "mkdir", path);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(errno, "open", path);
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, "read", path);
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

absl::Status WriteFileAtomic(const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return ErrnoStatus(errno, "open", tmp);
  absl::Status st = WriteAll(fd.get(), data, tmp);
  if (st.ok() && ::fsync(fd.get()) != 0) st = ErrnoStatus(errno, "fsync", tmp);
  if (int err = fd.Close(); st.ok() && err != 0) st = ErrnoStatus(err, "close", tmp);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) st = ErrnoStatus(errno, "rename", path);
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

bool PathExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string CurrentDir() {
  char buf[4096];
  return ::getcwd(buf, sizeof(buf)) ? buf : ".";
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

int Fd::Close() {
  if (fd_ < 0) return 0;
  return ::close(Release()) == 0 ? 0 : errno;
}

absl::StatusOr<Fd> OpenRegularFile(const std::string& path, int64_t* size) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(errno, "open", path);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, "stat", path);
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError("'" + path + "' is not a regular file");
  }
  if (size != nullptr) *size = static_cast<int64_t>(st.st_size);
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  return fd;
}

absl::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return ErrnoStatus(errno, "opendir", dir);
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string_view name(e->d_name);
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(d);
  return names;
}

namespace {

absl::Status ListTreeUnder(const std::string& dir, const std::string& rel,
                           std::vector<std::string>& out) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(rel.empty() ? dir : JoinPath(dir, rel)));
  for (const std::string& name : names) {
    const std::string child = rel.empty() ? name : rel + "/" + name;
    struct stat st;
    if (::lstat(JoinPath(dir, child).c_str(), &st) != 0) {
      return ErrnoStatus(errno, "stat", JoinPath(dir, child));
    }
    if (S_ISDIR(st.st_mode)) {
      RETURN_IF_ERROR(ListTreeUnder(dir, child, out));
    } else if (S_ISREG(st.st_mode)) {
      out.push_back(child);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ListTree(const std::string& dir) {
  std::vector<std::string> files;
  RETURN_IF_ERROR(ListTreeUnder(dir, "", files));
  std::sort(files.begin(), files.end());
  return files;
}

absl::Status ClearRenameTarget(const std::string& path) {
  if (!PathExists(path)) return absl::OkStatus();
  if (::rmdir(path.c_str()) == 0) return absl::OkStatus();
  return absl::AlreadyExistsError("'" + path + "' exists and is not an empty directory");
}

absl::Status RemoveTree(const std::string& path) {
  if (!PathExists(path)) return absl::OkStatus();
  auto remove_one = [](const char* p, const struct stat*, int, struct FTW*) {
    return ::remove(p) == 0 ? 0 : -1;
  };
  if (::nftw(path.c_str(), remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0) {
    return ErrnoStatus(errno, "remove", path);
  }
  return absl::OkStatus();
}

absl::StatusOr<Fd> MakeTempFile(const std::string& dir, std::string* path) {
  std::string tmpl = JoinPath(dir, ".tmp-XXXXXX");
  Fd fd(::mkstemp(tmpl.data()));
  if (!fd.valid()) return ErrnoStatus(errno, "mkstemp", tmpl);
  *path = tmpl;
  return fd;
}

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  std::string out(a);
  if (out.back() != '/') out.push_back('/');
  while (!b.empty() && b.front() == '/') b.remove_prefix(1);
  out.append(b);
  return out;
}

namespace {

// mkdtemp on `path` (ending in "XXXXXX"), which it completes.
absl::Status MakeTempDir(std::string& path) {
  if (::mkdtemp(path.data()) == nullptr) return ErrnoStatus(errno, "mkdtemp", path);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TempDir> TempDir::Create(std::string_view prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path =
      std::string(tmp && *tmp ? tmp : "/tmp") + "/" + std::string(prefix) + "-XXXXXX";
  RETURN_IF_ERROR(MakeTempDir(path));
  return TempDir(std::move(path));
}

absl::StatusOr<TempDir> TempDir::CreateBeside(std::string_view target, std::string_view tag) {
  std::string path(target);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  path += "." + std::string(tag) + "-XXXXXX";
  RETURN_IF_ERROR(MakeTempDir(path));
  return TempDir(std::move(path));
}

absl::Status TempDir::MoveTo(const std::string& target) {
  if (::rename(path_.c_str(), target.c_str()) != 0) return ErrnoStatus(errno, "rename", target);
  path_.clear();
  return absl::OkStatus();
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    TempDir old(std::move(*this));
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

TempDir::~TempDir() {
  // Best effort: nothing to report to from a destructor.
  if (!path_.empty()) (void)RemoveTree(path_);
}

}  // namespace ferry
