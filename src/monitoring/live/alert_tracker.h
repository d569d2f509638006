#pragma once
// Hysteresis of one alert kind: fires after `alert_after` consecutive windows with a
// finding, resolves after `clear_after` consecutive windows without one. Internal to live/.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "monitoring/live/live_types.h"

namespace ferry::monitoring {

// What a window found: a column (or gap, or metric), its test and statistic.
struct Finding {
  std::string column;
  std::string stattest;
  double statistic = 0;
};

class AlertTracker {
 public:
  AlertTracker(std::string kind, int alert_after, int clear_after)
      : kind_(std::move(kind)), alert_after_(alert_after), clear_after_(clear_after) {}

  // One window's verdict: `bad` with its findings and a clause describing it ("3 of 5
  // input columns drifted"). Returns the event when the state changes.
  std::optional<AlertEvent> Observe(const std::string& deployment, uint64_t window, bool bad,
                                    const std::vector<Finding>& findings,
                                    const std::string& detail);

  // Takes up a state from before a restart: firing since window `run_start` (or not firing).
  // The run counters start again from zero.
  void Restore(bool firing, uint64_t run_start, const std::vector<Finding>& findings);

  bool firing() const { return firing_; }
  const std::string& kind() const { return kind_; }

 private:
  AlertEvent MakeEvent(const std::string& deployment, const char* state, uint64_t window) const;

  std::string kind_;
  int alert_after_;
  int clear_after_;
  bool firing_ = false;
  int bad_run_ = 0;
  int good_run_ = 0;
  uint64_t run_start_ = 0;    // first window of the current bad run (or of the firing)
  uint64_t good_start_ = 0;   // first window of the current clean run
  std::vector<Finding> run_;  // findings of the bad run, latest statistic per column
};

}  // namespace ferry::monitoring
