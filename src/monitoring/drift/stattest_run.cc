#include "monitoring/drift/stattest_run.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "monitoring/stats/binning.h"
#include "monitoring/stats/chi2.h"
#include "monitoring/stats/distances.h"
#include "monitoring/stats/ks.h"

namespace ferry::monitoring {
namespace {

constexpr size_t kSturgesMinDistinct = 20;  // Evidently: Sturges when nunique(ref) > 20
constexpr int kStrictBins = 10;             // reference deciles

double Finite(double v) {
  if (std::isnan(v)) return 0;
  if (std::isinf(v)) return v > 0 ? DBL_MAX : -DBL_MAX;
  return v;
}

TestOutcome FromTest(const TestResult& r) {
  return TestOutcome{Finite(r.statistic), std::clamp(Finite(r.p_value), 0.0, 1.0)};
}

BinPair DecileBins(const CleanValues& ref, const CleanValues& cur) {
  std::vector<double> sorted = ref.numbers;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> edges = QuantileEdges(sorted, kStrictBins);
  return BinPair{HistogramCounts(ref.numbers, edges, true),
                 HistogramCounts(cur.numbers, edges, true)};
}

absl::StatusOr<TestOutcome> ZTest(const CleanValues& ref, const CleanValues& cur) {
  LabelledCounts counts = CountCategories(ref, cur);
  if (counts.labels.size() > 2) {
    return absl::InvalidArgumentError("stattest 'z' needs at most two categories, found " +
                                      std::to_string(counts.labels.size()));
  }
  // The first category counts as the "success"; the two-sided p-value does not depend on it.
  double n1 = static_cast<double>(ref.size()), n2 = static_cast<double>(cur.size());
  return FromTest(ZTestProportions(counts.reference[0], n1, counts.current[0], n2));
}

}  // namespace

double BinnedDistance(StatTest test, std::span<const double> ref, std::span<const double> cur) {
  switch (test) {
    case StatTest::kJensenShannon:
      return JensenShannonDistance(ref, cur);
    case StatTest::kPsi:
      return Psi(ref, cur);
    case StatTest::kKlDiv:
      return KlDivergence(ref, cur);
    case StatTest::kHellinger:
      return Hellinger(ref, cur);
    case StatTest::kLinf:
      return LInfinity(ref, cur);
    default:
      return 0;
  }
}

BinPair BinForTest(DriftColumnType type, const CleanValues& ref, const CleanValues& cur,
                   bool strict) {
  bool numeric = ref.numeric && cur.numeric;
  if (numeric && type == DriftColumnType::kNum) {
    if (strict && DistinctCount(ref) > kSturgesMinDistinct) return DecileBins(ref, cur);
    BinnedCounts b = EvidentlyNumericBinCounts(ref.numbers, cur.numbers);
    return BinPair{std::move(b.ref), std::move(b.cur)};
  }
  LabelledCounts counts = CountCategories(ref, cur);
  return BinPair{std::move(counts.reference), std::move(counts.current)};
}

absl::StatusOr<TestOutcome> RunStatTest(StatTest test, DriftColumnType type, const CleanValues& ref,
                                        const CleanValues& cur, bool strict) {
  const StatTestInfo& info = GetStatTestInfo(test);
  if (info.numeric_only && !(ref.numeric && cur.numeric)) {
    return absl::InvalidArgumentError("stattest '" + std::string(info.name) +
                                      "' needs numerical values, the column holds text");
  }
  switch (test) {
    case StatTest::kKs: {
      KsResult r = KsTwoSample(ref.numbers, cur.numbers);
      return TestOutcome{Finite(r.statistic), std::clamp(Finite(r.p_value), 0.0, 1.0)};
    }
    case StatTest::kWasserstein:
      return TestOutcome{Finite(WassersteinNormalised(ref.numbers, cur.numbers)), std::nullopt};
    case StatTest::kChiSquare:
    case StatTest::kChi2Homogeneity: {
      LabelledCounts c = CountCategories(ref, cur);
      return FromTest(test == StatTest::kChiSquare ? ChiSquaredGoodnessOfFit(c.reference, c.current)
                                                   : ChiSquaredHomogeneity(c.reference, c.current));
    }
    case StatTest::kZ:
      return ZTest(ref, cur);
    case StatTest::kSketchKs:
      return absl::InvalidArgumentError(
          "stattest 'sketch_ks' compares sketches: it needs a profile or a package as the "
          "reference");
    default: {
      BinPair bins = BinForTest(type, ref, cur, strict);
      return TestOutcome{Finite(BinnedDistance(test, bins.reference, bins.current)), std::nullopt};
    }
  }
}

}  // namespace ferry::monitoring
