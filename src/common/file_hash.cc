#include "common/file_hash.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/async_writer.h"
#include "common/fs.h"
#include "common/sha256.h"

namespace ferry {

namespace {

// 1 MiB keeps a chunk in L2 between read(2) filling it and SHA-256 consuming it.
constexpr size_t kChunkSize = size_t{1} << 20;
constexpr size_t kPipelineDepth = 8;

absl::StatusOr<size_t> ReadSome(int fd, char* buf, size_t n, const std::string& path) {
  while (true) {
    ssize_t got = ::read(fd, buf, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return ErrnoStatus(errno, "read", path);
  }
}

int64_t FdSize(int fd) {
  struct stat st;
  return ::fstat(fd, &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

// Copies src to dst with copy_file_range(2) on its own thread (the kernel moves the pages;
// no user-space copy), publishing how many bytes have landed.
class KernelCopier {
 public:
  // Copies until EOF, or until `limit` bytes in all when limit >= 0; `already` bytes were
  // copied by the caller.
  KernelCopier(int src, int dst, const std::string& path, int64_t already, int64_t limit)
      : src_(src), dst_(dst), path_(path), limit_(limit), copied_(already) {
    thread_ = std::thread([this] { Run(); });
  }
  ~KernelCopier() { (void)Finish(); }

  // Waits until more than `offset` bytes are copied or the copy has ended; returns the
  // bytes copied so far.
  int64_t WaitBeyond(int64_t offset) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return copied_ > offset || done_; });
    return copied_;
  }
  absl::Status Finish() {
    if (thread_.joinable()) thread_.join();
    return status_;
  }

 private:
  void Run() {
    while (true) {
      // copied_ changes only on this thread, so reading it here needs no lock.
      size_t want = limit_ < 0
                        ? kCopyChunk
                        : static_cast<size_t>(std::min<int64_t>(kCopyChunk, limit_ - copied_));
      ssize_t n = want == 0 ? 0 : ::copy_file_range(src_, nullptr, dst_, nullptr, want, 0);
      if (n < 0 && errno == EINTR) continue;
      std::lock_guard lock(mu_);
      if (n < 0) status_ = ErrnoStatus(errno, "copy_file_range", path_);
      if (n <= 0) {
        done_ = true;
        cv_.notify_all();
        return;
      }
      copied_ += n;
      cv_.notify_all();
    }
  }

  static constexpr size_t kCopyChunk = size_t{8} << 20;
  const int src_;
  const int dst_;
  const std::string& path_;
  const int64_t limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  int64_t copied_;     // guarded by mu_ (written only by the thread)
  bool done_ = false;  // guarded by mu_
  absl::Status status_;
  std::thread thread_;
};

// Hashes bytes [from, to) of `fd` with pread(2) into `buf` (kChunkSize bytes). Reading
// through a small buffer beats hashing page-cache pages through a mapping by about 2x here:
// the buffer stays in L2, while mapped pages are scattered 4 KiB blocks that defeat the
// hardware prefetcher.
absl::Status HashRange(int fd, int64_t from, int64_t to, char* buf, Sha256& hasher,
                       const std::string& path) {
  while (from < to) {
    size_t want = static_cast<size_t>(std::min<int64_t>(to - from, kChunkSize));
    ssize_t n = ::pread(fd, buf, want, from);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, "read", path);
    if (n == 0) return absl::DataLossError("'" + path + "' shrank while being hashed");
    hasher.Update(buf, static_cast<size_t>(n));
    from += n;
  }
  return absl::OkStatus();
}

bool CopyUnsupported(int err) {
  return err == EXDEV || err == EINVAL || err == ENOSYS || err == EOPNOTSUPP || err == EBADF;
}

}  // namespace

absl::StatusOr<HashResult> HashFd(int fd, const std::string& path, const ProgressFn& progress) {
  const int64_t total = progress ? FdSize(fd) : 0;
  auto buf = std::make_unique_for_overwrite<char[]>(kChunkSize);
  Sha256 hasher;
  HashResult result;
  while (true) {
    ASSIGN_OR_RETURN(size_t n, ReadSome(fd, buf.get(), kChunkSize, path));
    if (n == 0) break;
    hasher.Update(buf.get(), n);
    result.size += static_cast<int64_t>(n);
    if (progress) progress(Progress::Bytes(path, result.size, total));
  }
  result.hex = hasher.FinishHex();
  return result;
}

// The kernel copies (no user-space copy, about a third of the CPU of read+write here) while
// this thread hashes the destination, so the digest is of the bytes stored even if the
// source changes meanwhile.
std::optional<absl::StatusOr<HashResult>> KernelCopyAndHash(int src_fd, int dst_fd, int64_t length,
                                                            const std::string& dst_path,
                                                            const ProgressFn& progress) {
  const int64_t total = length >= 0 ? length : FdSize(src_fd);
  if (length == 0) return absl::StatusOr<HashResult>(HashResult{Sha256Hex(""), 0});
  const size_t probe =
      static_cast<size_t>(length < 0 ? kChunkSize : std::min<int64_t>(length, kChunkSize));
  ssize_t first;
  do {
    first = ::copy_file_range(src_fd, nullptr, dst_fd, nullptr, probe, 0);
  } while (first < 0 && errno == EINTR);
  if (first < 0 && CopyUnsupported(errno)) return std::nullopt;
  if (first < 0) return absl::StatusOr<HashResult>(ErrnoStatus(errno, "copy_file_range", dst_path));
  KernelCopier copier(src_fd, dst_fd, dst_path, first, length);
  auto buf = std::make_unique_for_overwrite<char[]>(kChunkSize);
  Sha256 hasher;
  HashResult result;
  while (true) {
    int64_t copied = copier.WaitBeyond(result.size);
    if (copied == result.size) break;
    absl::Status st = HashRange(dst_fd, result.size, copied, buf.get(), hasher, dst_path);
    if (!st.ok()) return absl::StatusOr<HashResult>(st);
    result.size = copied;
    if (progress) progress(Progress::Bytes(dst_path, result.size, total));
  }
  if (absl::Status st = copier.Finish(); !st.ok()) return absl::StatusOr<HashResult>(st);
  result.hex = hasher.FinishHex();
  return absl::StatusOr<HashResult>(result);
}

absl::StatusOr<HashResult> CopyAndHash(int src_fd, const std::string& src_path, int dst_fd,
                                       const std::string& dst_path, const ProgressFn& progress) {
  if (auto done = KernelCopyAndHash(src_fd, dst_fd, -1, dst_path, progress)) return *done;
  const int64_t total = FdSize(src_fd);
  // A small file needs no writer thread and pipeline buffers (model metadata, linear models):
  // this keeps `ferry predict`'s cold start short.
  if (total >= 0 && total <= static_cast<int64_t>(kChunkSize)) {
    std::string data(static_cast<size_t>(total) + 1, '\0');
    size_t have = 0;
    while (true) {
      ASSIGN_OR_RETURN(size_t n,
                       ReadSome(src_fd, data.data() + have, data.size() - have, src_path));
      if (n == 0) break;
      have += n;
      if (have == data.size()) data.resize(data.size() * 2);
    }
    data.resize(have);
    RETURN_IF_ERROR(WriteAll(dst_fd, data, dst_path));
    if (progress) progress(Progress::Bytes(dst_path, static_cast<int64_t>(have), total));
    return HashResult{Sha256Hex(data), static_cast<int64_t>(have)};
  }
  AsyncWriter writer(dst_fd, dst_path, kPipelineDepth, kChunkSize);
  Sha256 hasher;
  HashResult result;
  while (true) {
    char* buf = writer.Acquire();
    auto n = ReadSome(src_fd, buf, kChunkSize, src_path);
    if (!n.ok() || *n == 0) {
      writer.Submit(buf, 0);
      RETURN_IF_ERROR(writer.Finish());
      if (!n.ok()) return n.status();
      break;
    }
    hasher.Update(buf, *n);
    writer.Submit(buf, *n);
    result.size += static_cast<int64_t>(*n);
    if (progress) progress(Progress::Bytes(dst_path, result.size, total));
  }
  result.hex = hasher.FinishHex();
  return result;
}

}  // namespace ferry
