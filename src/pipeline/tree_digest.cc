#include "pipeline/tree_digest.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "common/file_hash.h"
#include "common/fs.h"
#include "common/sha256.h"

namespace ferry::pipeline {
namespace {

absl::StatusOr<struct stat> Lstat(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return absl::NotFoundError("no such file or directory: " + path);
    return ErrnoStatus(errno, "stat", path);
  }
  return st;
}

absl::StatusOr<std::string> LinkTarget(const std::string& path) {
  std::string target(4096, '\0');
  ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
  if (n < 0) return ErrnoStatus(errno, "readlink", path);
  target.resize(static_cast<size_t>(n));
  return target;
}

absl::StatusOr<std::string> FileHex(const std::string& path) {
  ASSIGN_OR_RETURN(Fd fd, OpenRegularFile(path, nullptr));
  ASSIGN_OR_RETURN(HashResult r, HashFd(fd.get(), path, nullptr));
  return r.hex;
}

// Feeds "<type> <digest> <relative path>\n" lines of the tree under `dir` to `tree`.
absl::Status HashDir(const std::string& dir, const std::string& rel, Sha256& tree) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(dir));
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const std::string path = JoinPath(dir, name);
    const std::string child = rel.empty() ? name : rel + "/" + name;
    ASSIGN_OR_RETURN(struct stat st, Lstat(path));
    std::string line;
    if (S_ISDIR(st.st_mode)) {
      tree.Update("d - " + child + "\n");
      RETURN_IF_ERROR(HashDir(path, child, tree));
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      // The link's text, and the bytes of a file it reaches: a step reading through the link
      // sees them, so a change there must change the digest (else a stale cache hit).
      ASSIGN_OR_RETURN(std::string target, LinkTarget(path));
      line = "l " + Sha256Hex(target);
      struct stat reached {};
      if (::stat(path.c_str(), &reached) == 0 && S_ISREG(reached.st_mode)) {
        ASSIGN_OR_RETURN(std::string hex, FileHex(path));
        line += ":" + hex;
      }
    } else if (S_ISREG(st.st_mode)) {
      ASSIGN_OR_RETURN(std::string hex, FileHex(path));
      line = ((st.st_mode & S_IXUSR) ? "x " : "f ") + hex;
    } else {
      return absl::FailedPreconditionError("not a file, directory or link: " + path);
    }
    tree.Update(line + " " + child + "\n");
  }
  return absl::OkStatus();
}

absl::Status CopyFile(const std::string& src, const std::string& dst, mode_t mode) {
  ASSIGN_OR_RETURN(Fd in, OpenRegularFile(src, nullptr));
  Fd out(::open(dst.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777));
  if (!out.valid()) return ErrnoStatus(errno, "create", dst);
  return CopyAndHash(in.get(), src, out.get(), dst, nullptr).status();
}

}  // namespace

absl::StatusOr<std::string> PathDigest(const std::string& path) {
  ASSIGN_OR_RETURN(struct stat st, Lstat(path));
  if (S_ISDIR(st.st_mode)) {
    Sha256 tree;
    tree.Update("ferry-tree/v1\n");
    RETURN_IF_ERROR(HashDir(path, "", tree));
    return "sha256:" + tree.FinishHex();
  }
  if (S_ISLNK(st.st_mode)) {
    struct stat target {};
    if (::stat(path.c_str(), &target) == 0 && S_ISDIR(target.st_mode)) {
      return PathDigest(path + "/");
    }
  }
  ASSIGN_OR_RETURN(std::string hex, FileHex(path));
  return "sha256:" + hex;
}

absl::Status CopyTree(const std::string& src, const std::string& dst) {
  ASSIGN_OR_RETURN(struct stat st, Lstat(src));
  const size_t slash = dst.rfind('/');
  if (slash != std::string::npos && slash > 0) RETURN_IF_ERROR(MakeDirs(dst.substr(0, slash)));
  if (S_ISLNK(st.st_mode)) {
    ASSIGN_OR_RETURN(std::string target, LinkTarget(src));
    if (::symlink(target.c_str(), dst.c_str()) != 0) return ErrnoStatus(errno, "symlink", dst);
    return absl::OkStatus();
  }
  if (!S_ISDIR(st.st_mode)) return CopyFile(src, dst, st.st_mode);
  if (::mkdir(dst.c_str(), 0755) != 0) return ErrnoStatus(errno, "mkdir", dst);
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(src));
  for (const std::string& name : names) {
    RETURN_IF_ERROR(CopyTree(JoinPath(src, name), JoinPath(dst, name)));
  }
  return absl::OkStatus();
}

}  // namespace ferry::pipeline
