#pragma once
// What live monitoring produces: one WindowResult per closed window, AlertEvents, label
// counts and the monitor's current state. Plain values; every double is finite.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "monitoring/drift/bias.h"

namespace ferry::monitoring {

// One column of one window compared with its reference.
struct LiveColumnDrift {
  std::string name;
  std::string column_type;        // "num" or "cat"
  std::string stattest;           // "sketch_ks" (num) or "jensenshannon" (cat)
  double statistic = 0;           // KS D, or the JS distance
  double threshold = 0;           // the critical distance (KS) or distance_threshold (JS)
  std::optional<double> p_value;  // always null for these tests (kept for the JSON shape)
  bool drift_detected = false;
  // "ok" (tested), "no_current_values", "no_reference_values" (then not tested: no verdict,
  // not counted in the share).
  std::string status = "ok";
  uint64_t count = 0;    // rows of the window for this column
  uint64_t missing = 0;  // of which missing (NaN, "", absent from the request)
};

// Ground-truth quality of one window (labels matched so far).
struct WindowQuality {
  bool classification = true;
  uint64_t labelled = 0;            // rows of the window with a label
  std::optional<double> accuracy;   // classification
  std::optional<double> roc_auc;    // binary classification with a score column
  std::optional<double> rmse, mae;  // regression
  std::optional<double> baseline;   // the primary metric's baseline, once known
  bool degraded = false;            // primary metric worse than baseline beyond tolerance
};

struct WindowResult {
  uint64_t index = 0;  // 0, 1, 2, ... in closing order
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  uint64_t rows = 0;
  bool empty = true;      // no rows: no verdict
  bool baseline = false;  // this window became the baseline (no reference): no verdict
  // Where the inputs were compared: "reference", "baseline" (window `baseline_index`), or
  // "none" (empty or baseline window).
  std::string compared_with = "none";
  std::vector<LiveColumnDrift> columns;
  std::vector<LiveColumnDrift> prediction_drift;
  uint64_t number_of_columns = 0;  // tested input columns
  uint64_t number_of_drifted_columns = 0;
  double drift_share = 0;  // drifted / tested (0 when none tested)
  bool dataset_drift = false;
  bool prediction_drift_detected = false;  // any prediction column drifted
  uint64_t unknown_columns = 0;            // request columns not monitored (distinct names)
  uint64_t unbuffered_rows = 0;            // rows past max_window_rows (no quality/bias)
  WindowQuality quality;
  std::optional<BiasReport> bias;  // with segment_column, when computable
  std::vector<std::string> bias_gaps_over;
};

// An alert changing state. `columns`, `stattests` and `statistics` are parallel: per
// column (or bias gap / quality metric) the test and the latest statistic.
struct AlertEvent {
  std::string kind;   // "data_drift", "prediction_drift", "quality" or "bias"
  std::string state;  // "firing" or "resolved"
  std::string deployment;
  uint64_t first_window = 0;  // the first window of the run that fired
  uint64_t last_window = 0;   // the window that changed the state
  std::vector<std::string> columns;
  std::vector<std::string> stattests;
  std::vector<double> statistics;
  std::string message;  // one sentence for a person
};

// Ground truth for one row of a request (row 0 for single-row requests).
struct Label {
  std::string request_id;
  uint64_t row = 0;
  std::variant<double, std::string> value;
};

struct LabelCounts {
  uint64_t matched = 0;
  uint64_t unknown_request_id = 0;  // never seen, forgotten (FIFO), or row out of range
  uint64_t duplicate = 0;           // the row already had a label
  uint64_t late = 0;                // its window was evicted from history
  uint64_t unbuffered = 0;          // its row was past the window's buffer
};

// For gauges: the monitor now.
struct MonitorState {
  uint64_t windows_closed = 0;
  uint64_t open_window_rows = 0;
  std::optional<WindowResult> last;  // the last closed non-empty window
  bool data_drift_firing = false;
  bool prediction_drift_firing = false;
  bool quality_firing = false;
  bool bias_firing = false;
  uint64_t pending_labels = 0;  // rows remembered for labels
  LabelCounts labels;           // totals since start
  uint64_t rows_total = 0;
  uint64_t rejected_rows = 0;  // rows of requests that could not be profiled
};

}  // namespace ferry::monitoring
