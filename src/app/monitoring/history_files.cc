#include "app/monitoring/history_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/fs.h"
#include "common/sha256.h"
#include "monitoring/live/history_codec.h"

namespace ferry::app {
namespace {

// A file name longer than this (of NAME_MAX, 255) keeps its start and gets a digest of the
// whole name instead of the rest.
constexpr size_t kMaxName = 200;

// Makes a file's creation or rename in `dir` durable (the file's own fsync does not).
absl::Status SyncDir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(errno, "open", dir);
  if (::fsync(fd.get()) != 0) return ErrnoStatus(errno, "fsync", dir);
  return absl::OkStatus();
}

}  // namespace

std::string HistoryFiles::PathFor(const std::string& deployment) const {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string name;
  for (size_t i = 0; i < deployment.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(deployment[i]);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-' || (c == '.' && i > 0);
    if (plain) {
      name += static_cast<char>(c);
    } else {
      name += '%';
      name += kHex[c >> 4];
      name += kHex[c & 15];
    }
  }
  if (name.size() > kMaxName)
    name = name.substr(0, 128) + "-" + Sha256Hex(deployment).substr(0, 32);
  return JoinPath(dir_, name + ".jsonl");
}

absl::StatusOr<monitoring::MonitorHistory> HistoryFiles::Compact(const std::string& path,
                                                                 const std::string& version) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok() && text.status().code() != absl::StatusCode::kNotFound) return text.status();
  monitoring::MonitorHistory h;
  if (text.ok()) h = monitoring::ReplayHistory(*text, version, bounds_);
  const std::string kept = monitoring::EncodeHistory(version, h);
  if (!text.ok() && kept.empty()) {
    lines_[path] = 0;
    return h;  // no file, nothing to write
  }
  if (!text.ok() || kept != *text) {
    RETURN_IF_ERROR(WriteFileAtomic(path, kept));
    RETURN_IF_ERROR(SyncDir(dir_));  // the rename
  }
  lines_[path] = h.windows.size() + h.alerts.size();
  return h;
}

absl::StatusOr<monitoring::MonitorHistory> HistoryFiles::Load(const std::string& deployment,
                                                              const std::string& version) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(MakeDirs(dir_));
  return Compact(PathFor(deployment), version);
}

absl::Status HistoryFiles::Append(const std::string& deployment, const std::string& version,
                                  const std::vector<monitoring::WindowResult>& windows,
                                  const std::vector<monitoring::AlertEvent>& alerts) {
  if (windows.empty() && alerts.empty()) return absl::OkStatus();
  std::string lines;
  for (const monitoring::WindowResult& w : windows) {
    lines += monitoring::EncodeHistoryWindow(version, w) + "\n";
  }
  for (const monitoring::AlertEvent& a : alerts) {
    lines += monitoring::EncodeHistoryAlert(version, a) + "\n";
  }
  std::lock_guard<std::mutex> lock(mu_);
  const std::string path = PathFor(deployment);
  const bool created = !PathExists(path);
  {
    Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!fd.valid()) return ErrnoStatus(errno, "open", path);
    // A write that failed half-way (a full disk) left a line without its end: end it, so the
    // torn line is skipped alone at the next load and this record is not joined to it.
    struct stat st;
    char last = '\n';
    if (::fstat(fd.get(), &st) == 0 && st.st_size > 0 &&
        ::pread(fd.get(), &last, 1, st.st_size - 1) == 1 && last != '\n') {
      lines.insert(0, "\n");
    }
    RETURN_IF_ERROR(WriteAll(fd.get(), lines, path));
    if (::fdatasync(fd.get()) != 0) return ErrnoStatus(errno, "fdatasync", path);
    if (int err = fd.Close(); err != 0) return ErrnoStatus(err, "close", path);
  }
  if (created) RETURN_IF_ERROR(SyncDir(dir_));
  size_t& n = lines_[path];
  n += windows.size() + alerts.size();
  if (n > max_lines()) return Compact(path, version).status();
  return absl::OkStatus();
}

}  // namespace ferry::app
