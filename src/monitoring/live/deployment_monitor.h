#pragma once
// Live monitoring of one served deployment. Rows of each request are profiled into the open
// window (mergeable sketches: bounded memory whatever the row count); when a window closes
// (by rows or time) it is compared with the reference profile column by column (data drift)
// and on its prediction columns (prediction drift), per-segment bias is computed, alerts with
// hysteresis are raised, and labels posted later are attributed to the window each prediction
// was made in (quality). Without a reference profile, the first non-empty window becomes the
// baseline.
//
// Pure: no threads, no I/O, no clock reads (times are passed in). Thread-compatible: the
// caller serialises calls. Memory is bounded by the options (history_windows,
// max_pending_labels, max_window_rows, max_columns).

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/frame.h"
#include "monitoring/live/history.h"
#include "monitoring/live/live_options.h"
#include "monitoring/live/live_types.h"
#include "monitoring/profile/dataset_profile.h"

namespace ferry::monitoring {

class DeploymentMonitorImpl;

class DeploymentMonitor {
 public:
  // kInvalidArgument when the options are invalid (ValidateLiveOptions).
  static absl::StatusOr<std::unique_ptr<DeploymentMonitor>> Create(
      std::string deployment, std::optional<DatasetProfile> reference, LiveOptions options);
  ~DeploymentMonitor();
  DeploymentMonitor(const DeploymentMonitor&) = delete;
  DeploymentMonitor& operator=(const DeploymentMonitor&) = delete;

  // The rows of one request: `inputs` (model input columns) and `predictions` (output
  // columns, same row count, e.g. "predict" or class probabilities). Closes the open window
  // first if its time is up, then adds the rows, closing windows as they fill (a request may
  // span two windows). Columns missing from the request count as missing values; unknown
  // columns are ignored and counted. kInvalidArgument (nothing added) when the row counts
  // differ or a frame's columns have unequal lengths.
  absl::Status Add(int64_t now_ms, const std::string& request_id, const Frame& inputs,
                   const Frame& predictions);

  // Closes the open window if its time is up (window_ms > 0), empty or not. An empty window
  // is recorded as empty (no verdict). A gap longer than one window records one window.
  void Tick(int64_t now_ms);

  // Attributes labels to the windows their predictions were made in, updates those windows'
  // quality and bias, and takes quality verdicts (see LiveOptions). Never fails.
  LabelCounts AddLabels(const std::vector<Label>& labels);

  // Alert events since the last call, oldest first.
  std::vector<AlertEvent> TakeAlerts();
  // Windows closed, or changed by labels, since the last call (the results now, by index):
  // what a HistoryStore records.
  std::vector<WindowResult> TakeChangedWindows();

  // Takes up the history of an earlier run (history.h) before any Add or Tick: its windows
  // become closed windows (results only: no labels can reach them, their quality is final),
  // numbering goes on after the last, and each alert kind whose last event is "firing" is
  // firing again (no second firing event). Without a reference profile the baseline is not
  // restored: the next non-empty window is the new baseline. Ignored after traffic.
  void Restore(const MonitorHistory& history);

  // Closed windows still in history, oldest first; the window `index`, if still kept.
  std::vector<WindowResult> Windows() const;
  std::optional<WindowResult> Window(uint64_t index) const;
  // The quality of the latest closed window with labels (for gauges: no copy of the history).
  std::optional<WindowQuality> LatestQuality() const;
  MonitorState current_state() const;

  const std::string& deployment() const;
  const LiveOptions& options() const;

 private:
  explicit DeploymentMonitor(std::unique_ptr<DeploymentMonitorImpl> impl);
  std::unique_ptr<DeploymentMonitorImpl> impl_;
};

}  // namespace ferry::monitoring
