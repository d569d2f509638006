#pragma once
// Quality per served version from late labels, so that a canary is judged on ground truth
// next to its champion over the same period: the primary prediction of every row is
// remembered with the version that made it (a bounded FIFO: past `capacity` rows the oldest
// are forgotten), and a label scores it for that version. Unlike the window monitor it keeps
// running totals, not windows: a version's figures are everything labelled since it was first
// seen. Pure; thread-compatible.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/frame.h"
#include "monitoring/live/live_options.h"
#include "monitoring/live/live_types.h"
#include "monitoring/live/pending_labels.h"

namespace ferry::monitoring {

struct ArmQualityFigures {
  uint64_t labelled = 0;
  bool classification = true;
  std::optional<double> accuracy;  // classification
  std::optional<double> rmse;      // regression
  // Higher is better: the accuracy, or minus the RMSE.
  std::optional<double> quality() const;
};

class ArmQuality {
 public:
  ArmQuality(size_t capacity, LiveTask task) : pending_(capacity), task_(task) {}

  // The rows of one request answered by `version`: their primary predictions
  // (`prediction_column`, else the first column).
  void Add(const std::string& version, const std::string& request_id, const Frame& predictions,
           const std::string& prediction_column);
  // Scores each label's row for the version that predicted it. Returns how many matched per
  // version (a row scores once; unknown or forgotten ids and rows do not match).
  std::map<std::string, uint64_t> AddLabels(const std::vector<Label>& labels);
  // Per version seen, its figures so far.
  std::map<std::string, ArmQualityFigures> Figures() const;

 private:
  struct Row {
    uint32_t arm = 0;
    bool labelled = false;
    double number = 0;  // the prediction as a number (NaN when it is text)
    std::string text;   // the prediction as text
  };
  struct Totals {
    std::string version;
    uint64_t labelled = 0;
    uint64_t correct = 0;      // prediction == label (as text)
    uint64_t numeric = 0;      // of the labelled, prediction and label both numbers
    double squared_error = 0;  // over the numeric ones
    bool whole = true;         // every number seen was whole (auto: classification)
    bool text = false;         // a prediction or label was not a number
  };
  uint32_t ArmOf(const std::string& version);

  PendingRows<Row> pending_;
  LiveTask task_;
  std::vector<Totals> arms_;
};

}  // namespace ferry::monitoring
