#pragma once
// Runs one drift test on the cleaned reference and current values of a column. Pure.

#include <optional>
#include <span>
#include <vector>

#include "common/status.h"
#include "monitoring/drift/column_data.h"
#include "monitoring/drift/stattest.h"

namespace ferry::monitoring {

struct TestOutcome {
  double statistic = 0;           // finite: +inf (chisquare, new category) becomes DBL_MAX
  std::optional<double> p_value;  // tests with a p-value only
};

// Both sides must be non-empty. Numeric-only tests (ks, wasserstein) need numeric values on
// both sides; z needs at most two categories. Binned tests on a `kNum` column with more than
// 20 distinct reference values use Sturges bins over the combined data (Evidently) or, when
// `strict`, ten bins at the reference deciles with open outer bins; every other column gets
// one bin per distinct value. kInvalidArgument (naming the test) when the test does not
// apply; the caller adds the column name.
absl::StatusOr<TestOutcome> RunStatTest(StatTest test, DriftColumnType type, const CleanValues& ref,
                                        const CleanValues& cur, bool strict);

// The bins a binned test compares (exposed for tests and the report).
struct BinPair {
  std::vector<double> reference;
  std::vector<double> current;
};
// The binned distance `test` (jensenshannon, psi, kl_div, hellinger, linf; 0 for any other)
// between two aligned histograms.
double BinnedDistance(StatTest test, std::span<const double> ref, std::span<const double> cur);

BinPair BinForTest(DriftColumnType type, const CleanValues& ref, const CleanValues& cur,
                   bool strict);

}  // namespace ferry::monitoring
