#pragma once
// The evaluation gate: a candidate model's metrics against absolute bounds and, when a
// baseline (the champion) exists, against change thresholds, with TFX Evaluator (TFMA)
// semantics:
//   * value threshold: lower_bound <= v_c <= upper_bound (an unset bound is -inf / +inf);
//   * change threshold, with a direction: diff = v_c - v_b, relative = diff / v_b;
//     higher-is-better passes when diff >= absolute and relative >= relative_bound,
//     lower-is-better when diff <= absolute and relative <= relative_bound;
//   * change thresholds are skipped when there is no baseline (the first model is blessed on
//     value thresholds alone), and a metric a threshold names but the candidate lacks fails.
// Where TFMA is silently wrong, the gate says why instead: with a baseline of 0 TFMA's ratio
// is NaN and every change threshold fails, even an absolute-only one; here an absolute-only
// threshold is judged on the difference, and a relative one fails naming the zero baseline.
// Non-finite metric values fail with their own reason. Pure computation.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ferry::pipeline {

enum class Direction { kHigherIsBetter, kLowerIsBetter };

struct MetricThreshold {
  std::string metric;
  std::optional<double> lower_bound;  // value threshold
  std::optional<double> upper_bound;
  std::optional<double> absolute_change;  // change thresholds (need a baseline)
  std::optional<double> relative_change;
  Direction direction = Direction::kHigherIsBetter;
};

struct GateCheck {
  std::string metric;
  std::string kind;  // "lower_bound", "upper_bound", "absolute_change", "relative_change"
  bool passed = false;
  std::optional<double> candidate;
  std::optional<double> baseline;
  double bound = 0;      // the threshold compared against
  double observed = 0;   // the candidate value, the difference or the relative change
  std::string reason;    // one sentence, for the failed ones and the skipped ones
  bool skipped = false;  // change threshold without a baseline
};

struct GateResult {
  bool passed = true;  // every check passed or was skipped
  std::vector<GateCheck> checks;
  std::string Summary() const;  // "passed: 3 checks" or the failed checks' reasons, joined
};

using Metrics = std::map<std::string, double>;

// `baseline` is nullopt when there is no champion yet.
GateResult EvaluateGate(const std::vector<MetricThreshold>& thresholds, const Metrics& candidate,
                        const std::optional<Metrics>& baseline);

}  // namespace ferry::pipeline
