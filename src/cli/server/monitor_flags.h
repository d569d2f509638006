#pragma once
// Live monitoring flags shared by `ferry serve` and `ferry server` (docs/SERVING.md, "Live
// monitoring"): which deployments are monitored, how predictions are cut into windows, the
// alerts' hysteresis and the share of predictions monitored. Parsed here; app/ turns them into
// monitoring::LiveOptions.

#include <cstdint>
#include <string>

#include "common/status.h"

namespace ferry::cli {

class FlagSet;

enum class MonitorMode {
  kAuto,  // deployments whose package carries a reference profile
  kOn,    // every deployment (without a reference, the first window is the baseline)
  kOff,
};

struct LiveMonitorConfig {
  MonitorMode mode = MonitorMode::kAuto;
  int64_t window_rows = 1000;  // 0: no row limit
  int64_t window_seconds = 0;  // 0: no time limit (one of the two must be set)
  std::string segment;         // input column for bias per segment ("" = off)
  int alert_after = 2;
  int clear_after = 2;
  double sample_rate = 1;  // share of predictions monitored
  // Where windows and alerts are kept across restarts (--monitor-dir; "": `ferry server`
  // uses <artifacts destination>/monitoring, `ferry serve` keeps them in memory only).
  std::string history_dir;
};

// Declares --monitor, --monitor-window-rows, --monitor-window-seconds, --monitor-segment,
// --monitor-alert-after, --monitor-clear-after, --monitor-sample-rate and --monitor-dir.
void DeclareLiveMonitorFlags(FlagSet& flags);
// kInvalidArgument naming the flag when a value is out of range.
absl::StatusOr<LiveMonitorConfig> LiveMonitorConfigFromFlags(const FlagSet& flags);

}  // namespace ferry::cli
