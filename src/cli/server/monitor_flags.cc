#include "cli/server/monitor_flags.h"

#include <cstdlib>

#include "cli/flags.h"
#include "common/strings.h"

namespace ferry::cli {

void DeclareLiveMonitorFlags(FlagSet& f) {
  f.String("monitor", "auto",
           "live monitoring: auto (deployments whose package has a reference profile), on "
           "(all; without a reference the first window is the baseline) or off");
  f.String("monitor-window-rows", "1000", "rows per monitoring window (0: no row limit)");
  f.String("monitor-window-seconds", "0",
           "seconds per monitoring window (0: no time limit; a window closes at either)");
  f.String("monitor-segment", "", "input column whose values are segments for bias per window");
  f.String("monitor-alert-after", "2", "consecutive windows with a finding before an alert fires");
  f.String("monitor-clear-after", "2", "consecutive clean windows before an alert resolves");
  f.String("monitor-sample-rate", "1", "share of predictions monitored (0-1)");
  f.String("monitor-dir", "",
           "directory where monitoring windows and alerts survive restarts (ferry server: "
           "<artifacts destination>/monitoring by default; ferry serve: none)");
}

absl::StatusOr<LiveMonitorConfig> LiveMonitorConfigFromFlags(const FlagSet& f) {
  LiveMonitorConfig c;
  const std::string mode = f.Get("monitor");
  if (mode == "auto") {
    c.mode = MonitorMode::kAuto;
  } else if (mode == "on") {
    c.mode = MonitorMode::kOn;
  } else if (mode == "off") {
    c.mode = MonitorMode::kOff;
  } else {
    return absl::InvalidArgumentError("--monitor: expected auto, on or off, got '" + mode + "'");
  }
  ASSIGN_OR_RETURN(c.window_rows, f.GetInt("monitor-window-rows", 0, int64_t{1} << 30));
  ASSIGN_OR_RETURN(c.window_seconds, f.GetInt("monitor-window-seconds", 0, 7 * 86400));
  if (c.window_rows == 0 && c.window_seconds == 0) {
    return absl::InvalidArgumentError(
        "--monitor-window-rows and --monitor-window-seconds: set at least one above 0");
  }
  c.segment = f.Get("monitor-segment");
  c.history_dir = f.Get("monitor-dir");
  ASSIGN_OR_RETURN(int64_t after, f.GetInt("monitor-alert-after", 1, 1000));
  ASSIGN_OR_RETURN(int64_t clear, f.GetInt("monitor-clear-after", 1, 1000));
  c.alert_after = static_cast<int>(after);
  c.clear_after = static_cast<int>(clear);
  char* end = nullptr;
  const std::string rate = f.Get("monitor-sample-rate");
  c.sample_rate = std::strtod(rate.c_str(), &end);
  if (rate.empty() || *end != '\0' || !(c.sample_rate >= 0 && c.sample_rate <= 1)) {
    return absl::InvalidArgumentError("--monitor-sample-rate: expected a number in [0, 1]");
  }
  return c;
}

}  // namespace ferry::cli
