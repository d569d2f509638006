#include "package/layout/tar.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "common/file_hash.h"
#include "common/fs.h"
#include "common/sha256.h"
#include "common/strings.h"

namespace ferry::package {

namespace {

constexpr int64_t kMaxOctalSize = 077777777777;  // 11 octal digits
constexpr size_t kMaxPaxSize = size_t{1} << 20;
constexpr size_t kCopyChunk = size_t{1} << 20;

absl::Status TarError(std::string_view where, std::string_view why) {
  return absl::InvalidArgumentError(std::string(where) + ": " + std::string(why));
}

std::string Field(const char* block, size_t off, size_t len) {
  const char* p = block + off;
  return std::string(p, strnlen(p, len));
}

// Octal (NUL/space padded) or GNU base-256; nullopt if malformed or negative.
std::optional<int64_t> ParseNumber(const char* p, size_t len) {
  if (static_cast<unsigned char>(p[0]) == 0x80) {
    uint64_t v = 0;
    for (size_t i = 1; i < len; ++i) {
      if (v >> 55) return std::nullopt;
      v = (v << 8) | static_cast<unsigned char>(p[i]);
    }
    return v > uint64_t(INT64_MAX) ? std::nullopt : std::optional<int64_t>(int64_t(v));
  }
  size_t i = 0;
  while (i < len && p[i] == ' ') ++i;
  int64_t v = 0;
  size_t digits = 0;
  for (; i < len && p[i] >= '0' && p[i] <= '7'; ++i, ++digits) {
    if (v > (INT64_MAX >> 3)) return std::nullopt;
    v = v * 8 + (p[i] - '0');
  }
  for (; i < len; ++i) {
    if (p[i] != ' ' && p[i] != '\0') return std::nullopt;
  }
  return v;
}

bool ChecksumOk(const char* block) {
  auto stored = ParseNumber(block + 148, 8);
  if (!stored) return false;
  int64_t unsigned_sum = 0, signed_sum = 0;
  for (size_t i = 0; i < kTarBlock; ++i) {
    bool in_field = i >= 148 && i < 156;
    unsigned_sum += in_field ? ' ' : static_cast<unsigned char>(block[i]);
    signed_sum += in_field ? ' ' : static_cast<signed char>(block[i]);
  }
  return *stored == unsigned_sum || *stored == signed_sum;
}

bool IsZeroBlock(const char* block) {
  return std::all_of(block, block + kTarBlock, [](char c) { return c == 0; });
}

TarEntry::Type TypeOf(char flag) {
  switch (flag) {
    case '0':
    case '\0':
    case '7':
      return TarEntry::Type::kFile;
    case '5':
      return TarEntry::Type::kDirectory;
    case '1':
      return TarEntry::Type::kHardLink;
    case '2':
      return TarEntry::Type::kSymlink;
    case '3':
    case '4':
      return TarEntry::Type::kDevice;
    case '6':
      return TarEntry::Type::kFifo;
    default:
      return TarEntry::Type::kOther;
  }
}

// Applies "len key=value\n" records (path, size, linkpath) to `e`.
absl::Status ApplyPax(std::string_view data, TarEntry& e, const std::string& where) {
  while (!data.empty()) {
    size_t space = data.find(' ');
    auto len = space == std::string_view::npos ? std::nullopt : ParseInt64(data.substr(0, space));
    if (!len || *len <= static_cast<int64_t>(space) + 1 || *len > int64_t(data.size()) ||
        data[*len - 1] != '\n') {
      return TarError(where, "malformed pax record");
    }
    std::string_view record = data.substr(space + 1, *len - space - 2);
    data.remove_prefix(*len);
    size_t eq = record.find('=');
    if (eq == std::string_view::npos) return TarError(where, "malformed pax record");
    std::string_view key = record.substr(0, eq), value = record.substr(eq + 1);
    if (key == "path") e.name = std::string(value);
    if (key == "linkpath") e.link_name = std::string(value);
    if (key == "size") {
      auto size = ParseInt64(value);
      if (!size || *size < 0) return TarError(where, "malformed pax size");
      e.size = *size;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<size_t> MemorySource::Read(char* buf, size_t n) {
  n = std::min(n, data_.size());
  std::memcpy(buf, data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

absl::StatusOr<size_t> FdSource::Read(char* buf, size_t n) {
  while (true) {
    ssize_t got = ::read(fd_, buf, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return ErrnoStatus(errno, "read", path_);
  }
}

absl::Status TarReader::ReadExact(char* buf, size_t n, const std::string& what) {
  size_t done = 0;
  while (done < n) {
    ASSIGN_OR_RETURN(size_t got, src_.Read(buf + done, n - done));
    if (got == 0) return TarError(what, "archive is truncated");
    done += got;
  }
  offset_ += static_cast<int64_t>(n);
  return absl::OkStatus();
}

absl::Status TarReader::SkipRest() {
  char buf[8192];
  int64_t left = remaining_ + padding_;
  while (left > 0) {
    size_t n = static_cast<size_t>(std::min<int64_t>(left, sizeof(buf)));
    RETURN_IF_ERROR(ReadExact(buf, n, current_));
    left -= static_cast<int64_t>(n);
  }
  remaining_ = padding_ = 0;
  return absl::OkStatus();
}

absl::StatusOr<std::string> TarReader::ReadSmallData(const TarEntry& e, size_t limit) {
  if (e.size > static_cast<int64_t>(limit)) return TarError(current_, "pax header is too large");
  std::string data(static_cast<size_t>(e.size), '\0');
  RETURN_IF_ERROR(ReadExact(data.data(), data.size(), current_));
  remaining_ = 0;
  RETURN_IF_ERROR(SkipRest());
  return data;
}

absl::StatusOr<std::optional<TarEntry>> TarReader::Next() {
  RETURN_IF_ERROR(SkipRest());
  std::optional<TarEntry> pax;  // overrides from a preceding 'x' header
  char block[kTarBlock];
  while (true) {
    const std::string at = "header at offset " + std::to_string(offset_);
    RETURN_IF_ERROR(ReadExact(block, kTarBlock, at));
    if (IsZeroBlock(block)) {
      if (pax) return TarError(at, "pax header without an entry");
      RETURN_IF_ERROR(ReadExact(block, kTarBlock, "end-of-archive marker"));
      if (!IsZeroBlock(block)) return TarError(at, "zero block inside the archive");
      return std::optional<TarEntry>();
    }
    if (!ChecksumOk(block)) return TarError(at, "bad header checksum");
    if (std::memcmp(block + 257, "ustar", 5) != 0) return TarError(at, "not a ustar header");
    TarEntry e;
    std::string prefix = Field(block, 345, 155);
    e.name = (prefix.empty() ? "" : prefix + "/") + Field(block, 0, 100);
    e.typeflag = block[156];
    e.type = TypeOf(e.typeflag);
    e.link_name = Field(block, 157, 100);
    auto size = ParseNumber(block + 124, 12);
    if (!size) return TarError(at + " (" + e.name + ")", "bad size field");
    e.size = *size;
    current_ = "entry \"" + e.name + "\"";
    if (e.typeflag == 'x') {
      remaining_ = e.size;
      padding_ = (kTarBlock - e.size % kTarBlock) % kTarBlock;
      ASSIGN_OR_RETURN(std::string data, ReadSmallData(e, kMaxPaxSize));
      pax = TarEntry{};
      pax->size = -1;
      RETURN_IF_ERROR(ApplyPax(data, *pax, current_));
      continue;
    }
    if (pax) {
      if (!pax->name.empty()) e.name = pax->name;
      if (!pax->link_name.empty()) e.link_name = pax->link_name;
      if (pax->size >= 0) e.size = pax->size;
      current_ = "entry \"" + e.name + "\"";
    }
    bool has_data = e.type == TarEntry::Type::kFile || e.type == TarEntry::Type::kOther;
    remaining_ = has_data ? e.size : 0;
    padding_ = has_data ? (kTarBlock - e.size % kTarBlock) % kTarBlock : 0;
    return std::optional<TarEntry>(std::move(e));
  }
}

absl::StatusOr<size_t> TarReader::ReadData(char* buf, size_t n) {
  n = static_cast<size_t>(std::min<int64_t>(remaining_, static_cast<int64_t>(n)));
  if (n == 0) return size_t{0};
  size_t done = 0;
  while (done < n) {
    ASSIGN_OR_RETURN(size_t got, src_.Read(buf + done, n - done));
    if (got == 0) return TarError(current_, "archive is truncated (entry data)");
    done += got;
  }
  offset_ += static_cast<int64_t>(n);
  remaining_ -= static_cast<int64_t>(n);
  return n;
}

std::optional<absl::StatusOr<HashResult>> TarReader::CopyDataTo(int dst_fd,
                                                                const std::string& dst_path) {
  if (src_.fd() < 0) return std::nullopt;
  auto copied = KernelCopyAndHash(src_.fd(), dst_fd, remaining_, dst_path, nullptr);
  if (!copied || !copied->ok()) return copied;
  const int64_t got = (*copied)->size;
  offset_ += got;
  remaining_ -= got;
  if (remaining_ != 0) {
    return absl::StatusOr<HashResult>(TarError(current_, "archive is truncated (entry data)"));
  }
  return copied;
}

absl::Status TarWriter::WriteHeader(const std::string& name, char type, int64_t size,
                                    uint32_t mode) {
  if (name.size() > 100 || size > kMaxOctalSize) {
    std::string records;
    auto add = [&](const std::string& key, const std::string& value) {
      std::string body = " " + key + "=" + value + "\n";
      size_t len = body.size() + 1;
      while (std::to_string(len).size() + body.size() != len) ++len;
      records += std::to_string(len) + body;
    };
    if (name.size() > 100) add("path", name);
    if (size > kMaxOctalSize) add("size", std::to_string(size));
    RETURN_IF_ERROR(WriteHeader("PaxHeaders/" + name.substr(0, 80), 'x',
                                static_cast<int64_t>(records.size()), 0644));
    RETURN_IF_ERROR(WriteAll(fd_, records, path_));
    RETURN_IF_ERROR(WritePadding(static_cast<int64_t>(records.size())));
  }
  char block[kTarBlock] = {};
  std::memcpy(block, name.data(), std::min<size_t>(name.size(), 100));
  std::snprintf(block + 100, 8, "%07o", mode);
  std::snprintf(block + 108, 8, "%07o", 0);
  std::snprintf(block + 116, 8, "%07o", 0);
  std::snprintf(block + 124, 12, "%011llo",
                static_cast<unsigned long long>(size > kMaxOctalSize ? 0 : size));
  std::snprintf(block + 136, 12, "%011o", 0);
  block[156] = type;
  std::memcpy(block + 257, "ustar", 6);
  std::memcpy(block + 263, "00", 2);
  std::memset(block + 148, ' ', 8);
  unsigned sum = 0;
  for (char c : block) sum += static_cast<unsigned char>(c);
  std::snprintf(block + 148, 8, "%06o", sum);
  block[155] = ' ';
  return WriteAll(fd_, std::string_view(block, kTarBlock), path_);
}

absl::Status TarWriter::WritePadding(int64_t size) {
  static const char kZeros[kTarBlock] = {};
  size_t pad = (kTarBlock - static_cast<size_t>(size % kTarBlock)) % kTarBlock;
  return WriteAll(fd_, std::string_view(kZeros, pad), path_);
}

absl::Status TarWriter::AddDirectory(const std::string& name) {
  return WriteHeader(name, '5', 0, 0755);
}

absl::Status TarWriter::AddBytes(const std::string& name, std::string_view data) {
  RETURN_IF_ERROR(WriteHeader(name, '0', static_cast<int64_t>(data.size()), 0644));
  RETURN_IF_ERROR(WriteAll(fd_, data, path_));
  return WritePadding(static_cast<int64_t>(data.size()));
}

absl::StatusOr<std::string> TarWriter::AddFile(const std::string& name, int src_fd,
                                               const std::string& src_path, int64_t size) {
  RETURN_IF_ERROR(WriteHeader(name, '0', size, 0644));
  Sha256 hash;
  auto buf = std::make_unique_for_overwrite<char[]>(kCopyChunk);
  int64_t left = size;
  while (left > 0) {
    ssize_t n = ::read(src_fd, buf.get(), static_cast<size_t>(std::min<int64_t>(left, kCopyChunk)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, "read", src_path);
    if (n == 0) return absl::DataLossError("'" + src_path + "' shrank while being archived");
    hash.Update(buf.get(), static_cast<size_t>(n));
    RETURN_IF_ERROR(WriteAll(fd_, std::string_view(buf.get(), static_cast<size_t>(n)), path_));
    left -= n;
  }
  RETURN_IF_ERROR(WritePadding(size));
  return hash.FinishHex();
}

absl::Status TarWriter::AddRawForTest(const std::string& name, char typeflag,
                                      std::string_view data) {
  RETURN_IF_ERROR(WriteHeader(name, typeflag, static_cast<int64_t>(data.size()), 0644));
  RETURN_IF_ERROR(WriteAll(fd_, data, path_));
  return WritePadding(static_cast<int64_t>(data.size()));
}

absl::Status TarWriter::Finish() {
  static const char kZeros[2 * kTarBlock] = {};
  return WriteAll(fd_, std::string_view(kZeros, sizeof(kZeros)), path_);
}

}  // namespace ferry::package
