#pragma once
// Options of live monitoring (one DeploymentMonitor per served deployment): how the
// prediction stream is cut into windows, how windows are compared with the reference, the
// alerts' hysteresis, and the bounds that keep memory flat however long the server runs.
// Semantics: docs/MONITORING.md, "Live monitoring: windows, alerts, labels".

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "monitoring/profile/column_profile.h"

namespace ferry::monitoring {

enum class LiveTask : uint8_t {
  kAuto = 0,            // classification iff every prediction and label is text or whole
  kClassification = 1,  // accuracy, ROC AUC (with a score column), positive rate, recall
  kRegression = 2,      // RMSE, MAE, mean prediction
};

struct LiveOptions {
  // A window closes when it holds `window_rows` rows (0 = no row limit) or when
  // `window_ms` has passed since it opened (0 = no time limit), whichever comes first; the
  // time limit is checked on each Add and by Tick(now_ms). At least one must be set.
  uint64_t window_rows = 1000;
  int64_t window_ms = 0;
  // Closed windows kept (results and their label buffers); older ones are evicted. >= 1.
  size_t history_windows = 100;

  // Hysteresis: an alert fires after `alert_after` consecutive windows with a finding and
  // resolves after `clear_after` consecutive windows without one (empty windows and windows
  // without a verdict neither count nor break a run). Both >= 1.
  int alert_after = 2;
  int clear_after = 2;

  // Data and prediction drift: dataset drift when the share of drifted columns among the
  // tested ones is >= drift_share (Evidently's rule); numeric columns by KS on the KLL
  // sketches with DataSketches' rule at `alpha`; categorical columns (text, or whole numbers
  // with at most `max_categories` distinct values in the reference) by the Jensen-Shannon
  // distance (natural log) of their frequent items, drift when >= distance_threshold.
  double drift_share = 0.5;
  double alpha = 0.05;
  double distance_threshold = 0.1;
  size_t max_categories = 10;

  // The input columns monitored; empty = every column of the reference (or, without one,
  // of the first window), at most `max_columns`. Other request columns are counted as
  // unknown and ignored.
  std::vector<std::string> columns;
  size_t max_columns = 1000;
  // The prediction columns monitored for prediction drift; empty = every column of the
  // predictions frame of the first request, at most `max_columns`.
  std::vector<std::string> prediction_columns;

  // Quality and bias read one prediction column per row: `prediction_column` if the
  // predictions frame has it, else its first column. `score_column` (optional) holds the
  // score or probability of the positive class for ROC AUC.
  std::string prediction_column = "predict";
  std::string score_column;
  LiveTask task = LiveTask::kAuto;
  // The positive class for recall and positive rates ("" = "1").
  std::string positive;

  // Ground truth: predictions remembered for late labels (oldest forgotten first), and the
  // rows of one window buffered for quality and bias (rows past it are profiled but get no
  // quality; the buffer is also bounded by window_rows when set).
  size_t max_pending_labels = 100000;
  size_t max_window_rows = 10000;

  // Quality alert: a window whose primary metric (accuracy, or RMSE for regression) is worse
  // than the baseline by more than `quality_tolerance` relative (Evidently's +-20 %). The
  // baseline is `reference_quality` when given, else the first window with at least
  // `min_quality_labels` labels. A window's quality verdict is taken once, when it is closed
  // and has min_quality_labels labels.
  double quality_tolerance = 0.2;
  std::optional<double> reference_quality;
  size_t min_quality_labels = 30;

  // Bias per window by `segment_column` ("" = off): an alert when a gap (demographic parity
  // difference, equal opportunity difference, or for regression the mean-prediction, RMSE
  // and MAE gaps) exceeds bias_threshold.
  std::string segment_column;
  double bias_threshold = 0.1;

  // Sketch parameters of the window profiles (must match the reference's for merging).
  ProfileOptions profile;
};

// kInvalidArgument naming the field when an option is out of range.
absl::Status ValidateLiveOptions(const LiveOptions& options);

}  // namespace ferry::monitoring
