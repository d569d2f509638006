// KS against scipy's vectors: ks_2samp (statistic, integer form, auto/exact/asymptotic
// p-values), kstwobign, kstwo (every branch), smirnov, and the DataSketches coefficient.

#include "monitoring/stats/ks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "monitoring/stats/radix_sort.h"
#include "monitoring/stats/stats_test_util.h"

namespace ferry::monitoring {
namespace {

using testing::Cases;
using testing::Num;
using testing::RelNear;

std::vector<double> Input(const JsonValue& v) {
  return v.is_array() ? testing::Nums(v) : testing::Stream(v);
}

TEST(KsVectorsTest, TwoSampleMatchesScipyAuto) {
  for (const JsonValue& c : Cases("ks_2samp_two_sided")) {
    SCOPED_TRACE(c.Find("name")->as_string());
    std::vector<double> x = Input(*c.Find("inputs")->Find("x"));
    std::vector<double> y = Input(*c.Find("inputs")->Find("y"));
    const auto n1 = static_cast<int64_t>(x.size());
    const auto n2 = static_cast<int64_t>(y.size());
    ASSERT_EQ(n1, c.Find("n1")->as_int());
    ASSERT_EQ(n2, c.Find("n2")->as_int());
    KsResult r = KsTwoSample(x, y);
    EXPECT_TRUE(RelNear(r.statistic, Num(c, "statistic_D")));
    EXPECT_TRUE(RelNear(r.p_value, Num(c, "pvalue_auto")));
    EXPECT_EQ(r.exact, c.Find("method_auto")->as_string() == "exact");
    // The integer form, and the same p-value from D alone.
    SortDoubles(x);
    SortDoubles(y);
    EXPECT_EQ(KsStatisticTimesLcm(x, y), c.Find("statistic_D_times_lcm")->as_int());
    EXPECT_TRUE(RelNear(KsPValue(n1, n2, r.statistic), Num(c, "pvalue_auto")));
    EXPECT_TRUE(RelNear(KsPValue(n2, n1, r.statistic), Num(c, "pvalue_auto")));
    // The exact distribution also where 'auto' does not pick it.
    const int64_t h = KsStatisticTimesLcm(x, y);
    EXPECT_TRUE(RelNear(KsExactPValue(n1, n2, h), Num(c, "pvalue_exact")));
    // The asymptotic ingredients.
    const int64_t en = c.Find("round_en")->as_int();
    EXPECT_TRUE(
        RelNear(KolmogorovExactSf(en, r.statistic), Num(c, "pvalue_asymp_kstwo_sf(D,round(en))")));
    EXPECT_TRUE(RelNear(KolmogorovSf(std::sqrt(Num(c, "en")) * r.statistic),
                        Num(c, "pvalue_limit_kstwobign_sf(sqrt(en)*D)"), 1e-8));
  }
}

TEST(KsVectorsTest, SortedEntryPointAgrees) {
  std::vector<double> x = {1, 2, 2, 3, 4, 5, 5, 6};
  std::vector<double> y = {2, 3, 3, 4, 7, 8, 9};
  KsResult a = KsTwoSample(x, y);
  KsResult b = KsTwoSampleSorted(x, y);
  EXPECT_EQ(a.statistic, b.statistic);
  EXPECT_EQ(a.p_value, b.p_value);
  EXPECT_EQ(KsStatisticTimesLcm(x, y), 24);
}

TEST(KolmogorovVectorsTest, LimitingSurvivalFunction) {
  for (const JsonValue& c : Cases("kolmogorov_limit_sf")) {
    SCOPED_TRACE(Num(c, "lambda"));
    EXPECT_TRUE(RelNear(KolmogorovSf(Num(c, "lambda")), Num(c, "sf")));
  }
}

TEST(KolmogorovVectorsTest, ExactOneSampleEveryBranch) {
  for (const JsonValue& c : Cases("kolmogorov_exact_kstwo_sf")) {
    SCOPED_TRACE(c.Find("branch")->as_string() + " n=" + std::to_string(Num(c, "n")) +
                 " x=" + std::to_string(Num(c, "x")));
    EXPECT_TRUE(RelNear(KolmogorovExactSf(c.Find("n")->as_int(), Num(c, "x")), Num(c, "sf")));
  }
}

TEST(KolmogorovVectorsTest, SmirnovOneSided) {
  for (const JsonValue& c : Cases("smirnov_one_sided_sf")) {
    SCOPED_TRACE(Num(c, "n"));
    EXPECT_TRUE(RelNear(SmirnovSf(c.Find("n")->as_int(), Num(c, "x")), Num(c, "sf")));
  }
}

TEST(KolmogorovVectorsTest, ClosedFormBranches) {
  // Ruben-Gambino on both ends, checked against their formulas.
  EXPECT_TRUE(RelNear(KolmogorovExactSf(10, 0.08), 1 - 3628800.0 / 1e10 * std::pow(0.6, 10)));
  EXPECT_TRUE(RelNear(KolmogorovExactSf(10, 0.95), 2 * std::pow(0.05, 10)));
  EXPECT_EQ(KolmogorovExactSf(10, 0.04), 1.0);
  EXPECT_EQ(KolmogorovExactSf(10, 1.0), 0.0);
  EXPECT_EQ(KolmogorovExactSf(100000, 0.2), 0.0);  // n x^2 >= 370
  // n > 140 and t <= 1 uses the log form; it must agree with the product.
  const double t = 0.9;
  double prod = 1;
  for (int i = 1; i <= 200; ++i) prod *= i / 200.0 * (2 * t - 1);
  EXPECT_TRUE(RelNear(KolmogorovExactSf(200, t / 200), 1 - prod, 1e-12));
}

TEST(KolmogorovVectorsTest, SmirnovLimitsAsScipy) {
  // Where exp(-2 n x^2) underflows the survival function is 0; above a million
  // observations scipy uses exp(-(6nx + 1)^2 / (18n)).
  EXPECT_EQ(SmirnovSf(1000, 0.6), 0.0);
  const double n = 2000000;
  EXPECT_TRUE(
      RelNear(SmirnovSf(2000000, 0.001), std::exp(-std::pow(6 * n * 0.001 + 1, 2) / 18 / n)));
  EXPECT_TRUE(RelNear(KolmogorovExactSf(2000000, 0.0015),
                      2 * std::exp(-std::pow(6 * n * 0.0015 + 1, 2) / 18 / n)));
  // The early stop of the sum changes nothing visible: x = 0.05 at n = 1000 is a vector.
  EXPECT_TRUE(RelNear(SmirnovSf(1000, 0.05), 0.006506037391));
}

TEST(KsCriticalTest, DataSketchesCoefficient) {
  for (const JsonValue& c : Cases("sketch_ks_threshold_datasketches")) {
    EXPECT_TRUE(RelNear(KsCriticalCoefficient(Num(c, "p")), Num(c, "alpha_factor")));
  }
  EXPECT_EQ(KsCriticalCoefficient(0), 0);
  EXPECT_EQ(KsCriticalCoefficient(std::nan("")), 0);
}

}  // namespace
}  // namespace ferry::monitoring
