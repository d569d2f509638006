#pragma once
// Live monitoring's history on disk (monitoring::HistoryStore): one JSON-lines file per
// deployment, <dir>/<deployment>.jsonl (names escaped), in history_codec's encoding.
//
// Append writes whole lines with O_APPEND and fdatasyncs before returning (and fsyncs the
// directory after creating a file or renaming over one), so a kill -9
// loses at most the line being written, which the next Load skips (a torn last line). Load
// compacts: it rewrites the file atomically (temp file, fsync, rename) with only the
// records it kept, which also removes a torn tail before anything is appended after it. An
// Append that takes a file past 2 x (bounds.windows + bounds.alerts) + 64 lines compacts it
// the same way, so a file holds at most that many lines. Thread-safe (one mutex).

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "monitoring/live/history.h"

namespace ferry::app {

class HistoryFiles : public monitoring::HistoryStore {
 public:
  // `dir` is created on the first Load.
  HistoryFiles(std::string dir, monitoring::HistoryBounds bounds)
      : dir_(std::move(dir)), bounds_(bounds) {}

  absl::StatusOr<monitoring::MonitorHistory> Load(const std::string& deployment,
                                                  const std::string& version) override;
  absl::Status Append(const std::string& deployment, const std::string& version,
                      const std::vector<monitoring::WindowResult>& windows,
                      const std::vector<monitoring::AlertEvent>& alerts) override;

  // The file of `deployment`: bytes outside [A-Za-z0-9_-] (and a leading '.') as %XX; a name
  // that would be over 200 bytes is cut to 128 and gets 32 hex digits of its SHA-256.
  std::string PathFor(const std::string& deployment) const;
  // Lines a file may reach before an Append compacts it.
  size_t max_lines() const { return 2 * (bounds_.windows + bounds_.alerts) + 64; }

 private:
  absl::StatusOr<monitoring::MonitorHistory> Compact(const std::string& path,
                                                     const std::string& version)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string dir_;
  const monitoring::HistoryBounds bounds_;
  std::mutex mu_;
  std::map<std::string, size_t> lines_ ABSL_GUARDED_BY(mu_);  // per path, since compaction
};

}  // namespace ferry::app
