#pragma once
// Between a pipeline's triggers and its runs: at most one run active and one pending. A
// trigger that fires while a run is active is folded into the pending run (which keeps every
// event it absorbed, so the run records all that asked for it); a burst of drift alerts starts
// one run after the current one, never a storm. An optional cool-down spaces runs that
// triggers (not people) start. Pure state: the caller supplies the clock and starts the runs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferry::pipeline {

enum class TriggerKind { kManual, kSchedule, kNewData, kAlert, kRegistryEvent };
const char* TriggerKindName(TriggerKind kind);  // "manual", "schedule", "new_data", ...

struct TriggerEvent {
  TriggerKind kind = TriggerKind::kManual;
  std::string detail;  // "cron 0 3 * * *", "data/sessions.csv sha256:...", "alert drift ..."
  int64_t at_unix = 0;
};

// What a run is started for: the event that opened it and those folded into it after.
struct RunRequest {
  TriggerEvent first;
  std::vector<TriggerEvent> folded;
  size_t events() const { return 1 + folded.size(); }
};

class RunCoalescer {
 public:
  explicit RunCoalescer(int64_t cooldown_seconds = 0) : cooldown_seconds_(cooldown_seconds) {}

  // A trigger fired. Returns the run to start now, or nullopt when it was queued or folded
  // (a run is active, or the cool-down since the last start has not passed; manual triggers
  // ignore the cool-down but still wait for the active run).
  std::optional<RunRequest> Fire(const TriggerEvent& event);

  // The active run ended at `now_unix`. Returns the pending run to start, if any and if the
  // cool-down allows; otherwise call Poll later.
  std::optional<RunRequest> Finished(int64_t now_unix);

  // Starts the pending run once the cool-down has passed and nothing is active.
  std::optional<RunRequest> Poll(int64_t now_unix);

  bool active() const { return active_; }
  bool has_pending() const { return pending_.has_value(); }
  int64_t folded_total() const { return folded_total_; }  // events that did not start a run

 private:
  bool CooledDown(const RunRequest& request, int64_t now_unix) const;
  RunRequest Start(RunRequest request, int64_t now_unix);

  int64_t cooldown_seconds_;
  bool active_ = false;
  std::optional<int64_t> last_start_;
  std::optional<RunRequest> pending_;
  int64_t folded_total_ = 0;
};

}  // namespace ferry::pipeline
