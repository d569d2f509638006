#pragma once
// The state behind DeploymentMonitor (see deployment_monitor.h): the open window, the
// history of closed windows, baselines, trackers and pending labels. Internal to live/.

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "monitoring/live/alert_tracker.h"
#include "monitoring/live/frame_conform.h"
#include "monitoring/live/history.h"
#include "monitoring/live/live_options.h"
#include "monitoring/live/live_types.h"
#include "monitoring/live/pending_labels.h"
#include "monitoring/live/window_rows.h"
#include "monitoring/profile/dataset_profile.h"

namespace ferry::monitoring {

struct OpenWindow {
  uint64_t index = 0;
  bool started = false;
  int64_t start_ms = 0;
  uint64_t rows = 0;
  DatasetProfile inputs;
  DatasetProfile predictions;
  std::unique_ptr<WindowRows> buffer;
  std::set<std::string> unknown;
  uint64_t unbuffered = 0;
};

struct ClosedWindow {
  WindowResult result;
  std::unique_ptr<WindowRows> buffer;
  bool quality_decided = false;
  bool degraded = false;  // the quality verdict, once decided
};

class DeploymentMonitorImpl {
 public:
  DeploymentMonitorImpl(std::string deployment, std::optional<DatasetProfile> reference,
                        LiveOptions options);

  absl::Status Add(int64_t now_ms, const std::string& request_id, const Frame& inputs,
                   const Frame& predictions);
  void Tick(int64_t now_ms);
  LabelCounts AddLabels(const std::vector<Label>& labels);
  std::vector<AlertEvent> TakeAlerts();
  std::vector<WindowResult> TakeChangedWindows();
  void Restore(const MonitorHistory& history);
  std::optional<WindowQuality> LatestQuality() const;
  const ClosedWindow* FindWindow(uint64_t index) const;
  MonitorState State() const;

  const std::string deployment_;
  const LiveOptions options_;
  std::deque<ClosedWindow> history_;

 private:
  // deployment_monitor.cc
  void InitSchemas(const Frame& inputs, const Frame& predictions);
  void OpenNext(int64_t start_ms);
  void AddRows(const Frame& inputs, const Frame& predictions, size_t begin, size_t end);
  // Adds the batched rows to the open window's profiles.
  void FlushBatch();
  ClosedWindow* FindMutable(uint64_t index);
  // window_close.cc
  void Close(int64_t end_ms);
  void CompareWindow(WindowResult* result);
  void ObserveDrift(const WindowResult& result);
  void UpdateBias(WindowResult* result, const WindowRows& rows);
  void DecideQuality();
  void RefreshQuality(ClosedWindow* window);
  void Emit(std::optional<AlertEvent> event);

  std::optional<DatasetProfile> reference_;
  std::optional<DatasetProfile> baseline_inputs_;       // without a reference
  std::optional<DatasetProfile> baseline_predictions_;  // first non-empty window
  std::optional<uint64_t> baseline_index_;
  std::optional<double> quality_baseline_;
  bool schemas_ready_ = false;
  LiveSchema input_schema_;
  LiveSchema prediction_schema_;
  // Rows of the open window conformed to the schemas, added to its profiles kProfileBatch at
  // a time (one profile update per batch, not per request); buffers reused.
  ConformPlan input_plan_, prediction_plan_;
  Frame batch_inputs_, batch_predictions_;
  size_t batch_rows_ = 0;
  bool numeric_prediction_ = true;
  bool has_score_ = false;
  OpenWindow open_;
  PendingLabels pending_;
  AlertTracker data_drift_, prediction_drift_, quality_, bias_;
  std::deque<AlertEvent> alerts_;
  std::set<uint64_t> changed_;  // windows closed or relabelled since TakeChangedWindows
  LabelCounts label_totals_;
  uint64_t rows_total_ = 0;
  uint64_t rejected_rows_ = 0;
};

}  // namespace ferry::monitoring
