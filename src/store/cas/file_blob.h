#pragma once
// BlobWriter and BlobReader over local files, plus the path helpers they share with
// FileArtifactStore. Internal to store/cas; see file_artifact_store.h for the layout.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/fs.h"
#include "common/sha256.h"
#include "common/status.h"
#include "store/artifact_store.h"

namespace ferry::store::cas::internal {

// Appends are gathered up to this many bytes before one write(2).
inline constexpr size_t kWriteBufferSize = size_t{1} << 20;

// "<blobs_dir>/<first two hex chars>" and "<blobs_dir>/<aa>/<digest>".
std::string ShardDir(const std::string& blobs_dir, std::string_view digest);
std::string BlobPath(const std::string& blobs_dir, std::string_view digest);

// fsyncs a directory so that entries created or renamed in it are durable.
absl::Status FsyncDir(const std::string& dir);

// Streams into a fresh temp file, hashing as it goes. Commit() publishes the file under
// `blobs_dir`; Abort() or destruction without Commit() removes it. Not thread-safe.
class FileBlobWriter : public BlobWriter {
 public:
  FileBlobWriter(Fd fd, std::string tmp_path, std::string blobs_dir);
  ~FileBlobWriter() override;

  // BlobWriter
  // kFailedPrecondition after Commit, Abort or a failed write; errno-based errors otherwise
  // (kResourceExhausted when the disk is full). A failed writer keeps its temp file until
  // Abort or destruction.
  absl::Status Append(std::string_view data) override;
  absl::StatusOr<BlobInfo> Commit() override;
  void Abort() override;

 private:
  enum class State { kOpen, kCommitted, kAborted, kFailed };

  absl::Status Flush();
  // fsyncs and closes the temp file, then moves it into place as `digest`.
  absl::Status Publish(const std::string& digest);
  // Moves to kFailed if `status` is an error; returns `status` unchanged.
  absl::Status MarkIfFailed(absl::Status status);

  Fd fd_;
  const std::string tmp_path_;
  const std::string blobs_dir_;
  std::string buffer_;
  Sha256 hasher_;
  int64_t size_ = 0;
  State state_ = State::kOpen;
};

// Reads a blob file. Read() uses pread(2) with its own offset, so fd() stays at offset 0
// for sendfile(2). Not thread-safe.
class FileBlobReader : public BlobReader {
 public:
  FileBlobReader(Fd fd, int64_t size, std::string path);

  // BlobReader
  int64_t size() const override { return size_; }
  int fd() const override { return fd_.get(); }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override;

 private:
  Fd fd_;
  const int64_t size_;
  const std::string path_;
  int64_t offset_ = 0;
};

}  // namespace ferry::store::cas::internal
