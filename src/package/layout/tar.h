#pragma once
// A minimal tar (POSIX ustar, pax 'x' records for long names and big sizes) writer and a
// strict streaming reader for untrusted archives. Only what OCI layout archives need:
// regular files and directories. The reader reports every other entry type by name so
// the importer can refuse it with a precise reason.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/file_hash.h"
#include "common/status.h"

namespace ferry::package {

inline constexpr size_t kTarBlock = 512;

// Where the reader's bytes come from (a file, or memory for tests and fuzzing).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes; 0 means end of input.
  virtual absl::StatusOr<size_t> Read(char* buf, size_t n) = 0;
  // A file descriptor whose position is the next byte Read() returns, or -1.
  virtual int fd() const { return -1; }
};

class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  absl::StatusOr<size_t> Read(char* buf, size_t n) override;

 private:
  std::string_view data_;
};

class FdSource : public ByteSource {
 public:
  FdSource(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  absl::StatusOr<size_t> Read(char* buf, size_t n) override;
  int fd() const override { return fd_; }

 private:
  int fd_;
  std::string path_;
};

struct TarEntry {
  enum class Type { kFile, kDirectory, kHardLink, kSymlink, kDevice, kFifo, kOther };
  std::string name;
  Type type = Type::kFile;
  char typeflag = '0';
  int64_t size = 0;
  std::string link_name;
};

// Reads entries one at a time. Every error is kInvalidArgument and names the entry (or
// the archive offset when there is no entry yet): bad header checksum, bad number field,
// truncated header or data, missing end-of-archive marker, malformed pax record.
class TarReader {
 public:
  explicit TarReader(ByteSource& src) : src_(src) {}
  // The next entry (after skipping what is left of the current one's data), or nullopt at
  // the end-of-archive marker (two zero blocks).
  absl::StatusOr<std::optional<TarEntry>> Next();
  // Reads the current entry's data; 0 when it is all read.
  absl::StatusOr<size_t> ReadData(char* buf, size_t n);
  // Copies the rest of the current entry's data into `dst_fd` in the kernel and hashes it
  // (KernelCopyAndHash), for sources with a file descriptor. nullopt when that is not
  // possible (nothing consumed; use ReadData). kInvalidArgument if the data is truncated.
  std::optional<absl::StatusOr<HashResult>> CopyDataTo(int dst_fd, const std::string& dst_path);

 private:
  absl::Status ReadExact(char* buf, size_t n, const std::string& what);
  absl::Status SkipRest();
  absl::StatusOr<std::string> ReadSmallData(const TarEntry& e, size_t limit);

  ByteSource& src_;
  int64_t offset_ = 0;
  int64_t remaining_ = 0;  // data bytes of the current entry not yet read
  int64_t padding_ = 0;    // padding bytes after them
  std::string current_;
};

// Writes a reproducible archive: mtime 0, uid/gid 0, empty user/group names.
class TarWriter {
 public:
  TarWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  absl::Status AddDirectory(const std::string& name);  // mode 0755; name ends with '/'
  absl::Status AddBytes(const std::string& name, std::string_view data);  // mode 0644
  // Streams `size` bytes of the open file `src_fd` (mode 0644) and returns their SHA-256
  // (64 lowercase hex digits), so that the caller can check what it archived.
  absl::StatusOr<std::string> AddFile(const std::string& name, int src_fd,
                                      const std::string& src_path, int64_t size);
  // Writes the end-of-archive marker.
  absl::Status Finish();
  // Any type flag with data, for tests that build hostile archives.
  absl::Status AddRawForTest(const std::string& name, char typeflag, std::string_view data);

 private:
  absl::Status WriteHeader(const std::string& name, char type, int64_t size, uint32_t mode);
  absl::Status WritePadding(int64_t size);
  int fd_;
  std::string path_;
};

}  // namespace ferry::package
