#pragma once
// The history of one monitored deployment that outlives the process: closed windows' results
// and alert transitions, written when they happen and read back when the deployment is
// monitored again (after a restart or a kill). monitoring/ defines what is kept and its
// one-line encoding (history_codec.h); where it is kept is the HistoryStore's business,
// implemented outside monitoring (app/monitoring keeps one JSON-lines file per deployment).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "monitoring/live/live_types.h"

namespace ferry::monitoring {

// What a deployment's history holds for one model version, oldest first: one result per
// window index (the latest written), the alert events in order.
struct MonitorHistory {
  std::vector<WindowResult> windows;
  std::vector<AlertEvent> alerts;
  uint64_t skipped_lines = 0;  // lines that did not decode (a torn last write, damage)
};

// How much history is kept: the last `windows` windows and `alerts` alert events.
struct HistoryBounds {
  size_t windows = 100;
  size_t alerts = 100;
};

// Where histories live. Implementations are thread-safe.
class HistoryStore {
 public:
  virtual ~HistoryStore() = default;
  // The history of `deployment` for `version` (empty when there is none), trimmed to the
  // store's bounds; records of other versions are dropped from the store.
  virtual absl::StatusOr<MonitorHistory> Load(const std::string& deployment,
                                              const std::string& version) = 0;
  // Records windows (closed, or updated by labels: the later record wins) and alert events;
  // durable when it returns OK.
  virtual absl::Status Append(const std::string& deployment, const std::string& version,
                              const std::vector<WindowResult>& windows,
                              const std::vector<AlertEvent>& alerts) = 0;
};

}  // namespace ferry::monitoring
