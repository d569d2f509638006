#include "monitoring/drift/stattest.h"

namespace ferry::monitoring {
namespace {

// Thresholds and rules from Evidently's legacy/calculations/stattests/<name>.py (reference
// monitoring.md 1.2); linf (not in Evidently) takes the distances' 0.1.
constexpr StatTestInfo kTests[] = {
    {StatTest::kKs, "ks", true, true, false, false, 0.05, DriftRule::kPValueAtMost},
    {StatTest::kChiSquare, "chisquare", true, false, false, false, 0.05, DriftRule::kPValueBelow},
    {StatTest::kChi2Homogeneity, "chi2_homogeneity", true, false, false, false, 0.05,
     DriftRule::kPValueBelow},
    {StatTest::kZ, "z", true, false, false, false, 0.05, DriftRule::kPValueBelow},
    {StatTest::kWasserstein, "wasserstein", false, true, false, false, 0.1,
     DriftRule::kDistanceAtLeast},
    {StatTest::kJensenShannon, "jensenshannon", false, false, true, false, 0.1,
     DriftRule::kDistanceAtLeast},
    {StatTest::kPsi, "psi", false, false, true, false, 0.1, DriftRule::kDistanceAtLeast},
    {StatTest::kKlDiv, "kl_div", false, false, true, false, 0.1, DriftRule::kDistanceAtLeast},
    {StatTest::kHellinger, "hellinger", false, false, true, false, 0.1,
     DriftRule::kDistanceAtLeast},
    {StatTest::kLinf, "linf", false, false, true, false, 0.1, DriftRule::kDistanceAtLeast},
    // The threshold given is alpha; the one reported is the critical distance it gives.
    {StatTest::kSketchKs, "sketch_ks", false, true, false, true, 0.05, DriftRule::kDistanceAbove},
};

}  // namespace

const StatTestInfo& GetStatTestInfo(StatTest test) {
  for (const StatTestInfo& info : kTests) {
    if (info.test == test) return info;
  }
  return kTests[0];
}

absl::StatusOr<StatTest> ParseStatTest(std::string_view name) {
  for (const StatTestInfo& info : kTests) {
    if (info.name == name) return info.test;
  }
  return absl::InvalidArgumentError("unknown stattest '" + std::string(name) +
                                    "' (available: " + StatTestNames() + ")");
}

std::string StatTestNames() {
  std::string out;
  for (const StatTestInfo& info : kTests) {
    if (!out.empty()) out += ", ";
    out += info.name;
  }
  return out;
}

bool IsDrift(StatTest test, double score, double threshold, bool strict) {
  DriftRule rule = GetStatTestInfo(test).rule;
  if (strict && rule == DriftRule::kPValueAtMost) rule = DriftRule::kPValueBelow;
  switch (rule) {
    case DriftRule::kPValueAtMost:
      return score <= threshold;
    case DriftRule::kPValueBelow:
      return score < threshold;
    case DriftRule::kDistanceAtLeast:
      return score >= threshold;
    case DriftRule::kDistanceAbove:
      return score > threshold;
  }
  return false;
}

}  // namespace ferry::monitoring
