#pragma once
// Bias across segments of one column (a sensitive attribute or any business segment): per
// segment counts, the prediction distribution and, with labels, quality; and the gaps that
// Fairlearn reports. Pure.
//
// Classification (when `positive` is given, or the prediction column holds only 0 and 1,
// then positive = 1): per segment the positive rate (share of predictions equal to
// `positive`), with labels the accuracy (prediction == label) and the recall (true positive
// rate on rows whose label is `positive`; null when the segment has none). Gaps:
// demographic parity difference max - min positive rate and ratio min / max (1 when every
// rate is 0), equal opportunity difference max - min recall over the segments that have one.
// Regression (a numeric prediction otherwise): per segment the mean prediction and, with
// labels, RMSE and MAE; gaps are max - min of each.
//
// Rows with a missing prediction are left out; rows with a missing label count for the
// prediction distribution only; a missing segment value forms the segment "(missing)".

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/frame.h"

namespace ferry::monitoring {

struct BiasOptions {
  std::string segment;
  std::string prediction;
  std::string label;     // "" = no labels
  std::string positive;  // "" = infer (see above)
};

struct SegmentBias {
  std::string segment;
  size_t count = 0;                        // rows with a prediction
  size_t labelled = 0;                     // of which with a label
  double positive_rate = 0;                // classification
  double prediction_mean = 0;              // regression
  std::optional<double> accuracy, recall;  // classification with labels
  std::optional<double> rmse, mae;         // regression with labels
};

struct BiasGap {
  std::string name;             // "demographic_parity_difference", ...
  std::optional<double> value;  // null when undefined (e.g. no segment has a recall)
  bool is_difference = true;    // differences are compared with the threshold; ratios not
};

struct BiasReport {
  bool classification = true;
  std::string positive;               // classification only
  std::vector<SegmentBias> segments;  // ordered by segment value
  std::vector<BiasGap> gaps;
  size_t dropped_rows = 0;  // rows without a prediction
};

// kInvalidArgument for an absent column, a text prediction without `positive` that is not
// binary 0/1, a regression with a text label, or no row with a prediction.
absl::StatusOr<BiasReport> ComputeBias(const Frame& data, const BiasOptions& options);

// Gaps whose value exceeds `threshold` (strictly), by name.
std::vector<std::string> GapsOver(const BiasReport& report, double threshold);

}  // namespace ferry::monitoring
