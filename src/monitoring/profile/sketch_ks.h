#pragma once
// Two-sample Kolmogorov-Smirnov on two KLL sketches, with DataSketches' rule
// (kolmogorov_smirnov_impl.hpp): drift iff
//   D > sqrt(-0.5 ln(alpha/2)) * sqrt((r1 + r2) / (r1 r2)) + eps1 + eps2,
// where D is the largest CDF difference over the union of both sketches' retained items,
// r the retained item counts and eps the sketches' normalised rank errors. Adding the errors
// is what keeps large same-distribution samples from flagging drift (whylogs issue #684).

#include "common/status.h"
#include "monitoring/profile/kll.h"

namespace ferry::monitoring {

struct SketchKsResult {
  double statistic = 0.0;  // D, in [0, 1]
  double threshold = 1.0;  // the critical distance above; 1 when a sketch is empty
  bool drift = false;
  bool comparable = false;  // false when either sketch is empty (then never drift)
};

// c(alpha) = sqrt(-0.5 ln(alpha / 2)), the asymptotic KS coefficient; alpha in (0, 1).
double KsCoefficient(double alpha);

// D between two sketches (0 when either is empty).
double SketchKsStatistic(const KllSketch& ref, const KllSketch& cur);

// kInvalidArgument unless 0 < alpha < 1.
absl::StatusOr<SketchKsResult> SketchKs(const KllSketch& ref, const KllSketch& cur, double alpha);

}  // namespace ferry::monitoring
