#include "store/cas/file_blob.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "common/fs.h"

namespace ferry::store::cas::internal {

std::string ShardDir(const std::string& blobs_dir, std::string_view digest) {
  return JoinPath(blobs_dir, digest.substr(0, 2));
}

std::string BlobPath(const std::string& blobs_dir, std::string_view digest) {
  return JoinPath(ShardDir(blobs_dir, digest), digest);
}

absl::Status FsyncDir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(errno, "open", dir);
  if (::fsync(fd.get()) != 0) return ErrnoStatus(errno, "fsync", dir);
  return absl::OkStatus();
}

FileBlobWriter::FileBlobWriter(Fd fd, std::string tmp_path, std::string blobs_dir)
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
    if (data.size() >= kWriteBufferSize) return MarkIfFailed(WriteAll(fd_.get(), data, tmp_path_));
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
  fd_.Close();
  ::unlink(tmp_path_.c_str());  // ENOENT is fine: a failed Publish may have moved it.
  state_ = State::kAborted;
  std::string().swap(buffer_);
}

absl::Status FileBlobWriter::Flush() {
  RETURN_IF_ERROR(MarkIfFailed(WriteAll(fd_.get(), buffer_, tmp_path_)));
  buffer_.clear();
  return absl::OkStatus();
}

absl::Status FileBlobWriter::Publish(const std::string& digest) {
  // Blobs are immutable; the mode says so to anyone browsing the store.
  if (::fchmod(fd_.get(), 0444) != 0) return MarkIfFailed(ErrnoStatus(errno, "chmod", tmp_path_));
  if (::fsync(fd_.get()) != 0) return MarkIfFailed(ErrnoStatus(errno, "fsync", tmp_path_));
  if (int err = fd_.Close(); err != 0) return MarkIfFailed(ErrnoStatus(err, "close", tmp_path_));

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

FileBlobReader::FileBlobReader(Fd fd, int64_t size, std::string path)
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

}  // namespace ferry::store::cas::internal
