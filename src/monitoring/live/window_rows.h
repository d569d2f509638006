#pragma once
// The rows of one window kept for ground truth and bias: per row the prediction (the
// primary prediction column), the score (for ROC AUC), the segment value and, once posted,
// the label. Bounded by its capacity (rows past it are not kept). Quality and bias are
// computed from it on demand. Internal to live/.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "monitoring/drift/bias.h"
#include "monitoring/live/live_options.h"
#include "monitoring/live/live_types.h"

namespace ferry::monitoring {

class WindowRows {
 public:
  WindowRows(size_t capacity, bool numeric_prediction)
      : capacity_(capacity), numeric_(numeric_prediction) {}

  // Appends a row; its index, or nullopt when the buffer is full. `prediction_text` is read
  // for text predictions, `prediction` for numeric ones.
  std::optional<uint32_t> Append(double prediction, const std::string& prediction_text,
                                 double score, const std::string& segment);
  // Sets row `row`'s label; false when it already had one.
  bool SetLabel(uint32_t row, const std::variant<double, std::string>& label);

  size_t size() const { return segment_.size(); }
  uint64_t labelled() const { return labelled_; }

  // Quality over the labelled rows (`has_score`: the score column exists).
  WindowQuality Quality(const LiveOptions& options, bool has_score) const;
  // Bias by segment, nullopt when it cannot be computed (no rows, or ComputeBias refuses).
  std::optional<BiasReport> Bias(const LiveOptions& options, bool classification) const;
  // Whether the task is classification under `options.task` (kAuto: text predictions, or
  // every prediction and label a whole number).
  bool IsClassification(LiveTask task) const;

 private:
  size_t capacity_;
  bool numeric_;
  std::vector<double> prediction_;  // numeric predictions
  std::vector<std::string> prediction_text_;
  std::vector<double> score_;
  std::vector<std::string> segment_;
  std::vector<uint8_t> has_label_;
  std::vector<double> label_;  // numeric predictions: labels as numbers (NaN if not)
  std::vector<std::string> label_text_;
  uint64_t labelled_ = 0;
};

}  // namespace ferry::monitoring
