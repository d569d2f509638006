#include "store/cas/file_blob.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "common/fs.h"

namespace ferry::cas_internal {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    Reset();
    fd_ = other.Release();
  }
  return *this;
}

int UniqueFd::Release() { return std::exchange(fd_, -1); }

int UniqueFd::Reset() {
  if (fd_ < 0) return 0;
  // Linux releases the descriptor even when close() fails, so it is never retried.
  int err = ::close(std::exchange(fd_, -1)) == 0 ? 0 : errno;
  return err;
}

std::string ShardDir(const std::string& blobs_dir, std::string_view digest) {
  return JoinPath(blobs_dir, digest.substr(0, 2));
}

std::string BlobPath(const std::string& blobs_dir, std::string_view digest) {
  return JoinPath(ShardDir(blobs_dir, digest), digest);
}

absl::Status FsyncDir(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(errno, "open", dir);
  if (::fsync(fd.get()) != 0) return ErrnoStatus(errno, "fsync", dir);
  return absl::OkStatus();
}

FileBlobWriter::FileBlobWriter(UniqueFd fd, std::string tmp_path, std::string blobs_dir)
    : fd_(std::move(fd)), tmp_path_(std::move(tmp_path)), blobs_dir_(std::move(blobs_dir)) {
  buffer_.reserve(kWriteBufferSize);
}

FileBlobWriter::~FileBlobWriter() { Abort(); }

absl::Status FileBlobWriter::Append(std::string_view data) {
  if (state_ != State::kOpen) return absl::FailedPreconditionError("blob writer is closed");
  hasher_.Update(data);
  size_ += static_cast<int64_t>(data.size());
  if (buffer_.size() + data.size() > kWriteBufferSize) {
    RETURN_IF_ERROR(Flush());
    // A chunk at least as big as the buffer gains nothing from a copy.
    if (data.size() >= kWriteBufferSize) return WriteAll(data.data(), data.size());
  }
  buffer_.append(data);
  return absl::OkStatus();
}

absl::StatusOr<BlobInfo> FileBlobWriter::Commit() {
  if (state_ != State::kOpen) return absl::FailedPreconditionError("blob writer is closed");
  RETURN_IF_ERROR(Flush());
  BlobInfo info;
  info.digest = hasher_.FinishHex();
  info.size = size_;
  RETURN_IF_ERROR(Publish(info.digest));
  state_ = State::kCommitted;
  return info;
}

void FileBlobWriter::Abort() {
  if (state_ == State::kCommitted || state_ == State::kAborted) return;
  fd_.Reset();
  ::unlink(tmp_path_.c_str());  // ENOENT is fine: a failed Publish may have moved it.
  state_ = State::kAborted;
  std::string().swap(buffer_);
}

absl::Status FileBlobWriter::WriteAll(const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd_.get(), data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return MarkIfFailed(ErrnoStatus(errno, "write", tmp_path_));
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status FileBlobWriter::Flush() {
  RETURN_IF_ERROR(WriteAll(buffer_.data(), buffer_.size()));
  buffer_.clear();
  return absl::OkStatus();
}

absl::Status FileBlobWriter::Publish(const std::string& digest) {
  // Blobs are immutable; the mode says so to anyone browsing the store.
  if (::fchmod(fd_.get(), 0444) != 0) return MarkIfFailed(ErrnoStatus(errno, "chmod", tmp_path_));
  if (::fsync(fd_.get()) != 0) return MarkIfFailed(ErrnoStatus(errno, "fsync", tmp_path_));
  if (int err = fd_.Reset(); err != 0) return MarkIfFailed(ErrnoStatus(err, "close", tmp_path_));

  const std::string shard = ShardDir(blobs_dir_, digest);
  if (::mkdir(shard.c_str(), 0755) == 0) {
    RETURN_IF_ERROR(MarkIfFailed(FsyncDir(blobs_dir_)));
  } else if (errno != EEXIST) {
    return MarkIfFailed(ErrnoStatus(errno, "mkdir", shard));
  }
  const std::string path = BlobPath(blobs_dir_, digest);
  if (PathExists(path)) {
    // Same digest, same bytes: keep the existing file. Two writers racing past this check
    // both rename; the second atomically replaces identical content.
    ::unlink(tmp_path_.c_str());
  } else if (::rename(tmp_path_.c_str(), path.c_str()) != 0) {
    return MarkIfFailed(ErrnoStatus(errno, "rename", path));
  }
  // Also when the blob existed: its writer may not have synced the directory yet.
  return MarkIfFailed(FsyncDir(shard));
}

absl::Status FileBlobWriter::MarkIfFailed(absl::Status status) {
  if (!status.ok()) state_ = State::kFailed;
  return status;
}

FileBlobReader::FileBlobReader(UniqueFd fd, int64_t size, std::string path)
    : fd_(std::move(fd)), size_(size), path_(std::move(path)) {}

absl::StatusOr<size_t> FileBlobReader::Read(char* buf, size_t n) {
  while (true) {
    ssize_t got = ::pread(fd_.get(), buf, n, offset_);
    if (got >= 0) {
      offset_ += got;
      return static_cast<size_t>(got);
    }
    if (errno != EINTR) return ErrnoStatus(errno, "read", path_);
  }
}

}  // namespace ferry::cas_internal
