#pragma once
// The drift tests by name (Evidently's names where Evidently has the test), what each
// applies to, its default threshold and its verdict rule. Pure.

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::monitoring {

enum class StatTest {
  kKs,               // two-sample Kolmogorov-Smirnov p-value (num)
  kChiSquare,        // Evidently's chisquare: goodness of fit of current against reference
  kChi2Homogeneity,  // 2xK chi-squared test of homogeneity (scipy chi2_contingency)
  kZ,                // pooled two-proportion z-test (at most two categories)
  kWasserstein,      // W1 / max(population std of reference, 0.001) (num)
  kJensenShannon,    // Jensen-Shannon distance, natural log
  kPsi,              // population stability index
  kKlDiv,            // Kullback-Leibler divergence KL(ref || cur), natural log
  kHellinger,        // Hellinger distance
  kLinf,             // L-infinity distance (TFDV)
  kSketchKs,         // KS distance on two KLL sketches, DataSketches' rule (profile references)
};

// How a score is compared with the threshold to call drift.
enum class DriftRule {
  kPValueAtMost,     // p <= threshold (Evidently's ks)
  kPValueBelow,      // p < threshold (Evidently's other p-value tests)
  kDistanceAtLeast,  // score >= threshold (Evidently's distances)
  kDistanceAbove,    // score > threshold (sketch_ks: D above the critical distance)
};

struct StatTestInfo {
  StatTest test;
  std::string_view name;
  bool has_p_value;   // the score is a p-value (else a distance)
  bool numeric_only;  // needs numbers (ks, wasserstein)
  bool binned;        // works on histogram bins of a numerical column
  bool profile_only;  // needs sketches (a profile reference), not raw values
  double default_threshold;
  DriftRule rule;
};

const StatTestInfo& GetStatTestInfo(StatTest test);

// The test called `name`; kInvalidArgument listing the available names otherwise.
absl::StatusOr<StatTest> ParseStatTest(std::string_view name);

// "ks, chisquare, ..." in registry order.
std::string StatTestNames();

// Whether `score` (p-value or distance) means drift at `threshold`. In strict mode every
// p-value test uses p < threshold (ks included), so that one rule holds for all of them.
bool IsDrift(StatTest test, double score, double threshold, bool strict);

}  // namespace ferry::monitoring
