// Properties the drift verdicts rely on: identical samples never drift, a 0.5-sigma shift
// on 10,000 rows always does, the exact p-values equal brute-force enumeration, and
// degenerate inputs give defined values (never NaN).

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "monitoring/stats/binning.h"
#include "monitoring/stats/chi2.h"
#include "monitoring/stats/distances.h"
#include "monitoring/stats/ks.h"
#include "monitoring/stats/radix_sort.h"

namespace ferry::monitoring {
namespace {

std::vector<double> Normal(uint64_t seed, size_t n, double mean) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> dist(mean, 1.0);
  std::vector<double> v(n);
  for (double& x : v) x = dist(rng);
  return v;
}

TEST(StatsPropertyTest, IdenticalSamplesNeverDrift) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    for (size_t n : {1u, 7u, 1000u, 20000u}) {
      std::vector<double> x = Normal(seed, n, 0);
      std::vector<double> y = x;
      std::shuffle(y.begin(), y.end(), std::mt19937_64(seed + 100));
      KsResult ks = KsTwoSample(x, y);
      EXPECT_EQ(ks.statistic, 0);
      EXPECT_EQ(ks.p_value, 1);
      EXPECT_EQ(Wasserstein1(x, y), 0);
      EXPECT_EQ(WassersteinNormalised(x, y), 0);
      BinnedCounts b = EvidentlyNumericBinCounts(x, y);
      EXPECT_EQ(Psi(b.ref, b.cur), 0);
      EXPECT_EQ(KlDivergence(b.ref, b.cur), 0);
      EXPECT_EQ(JensenShannonDistance(b.ref, b.cur), 0);
      EXPECT_EQ(Hellinger(b.ref, b.cur), 0);
      EXPECT_EQ(LInfinity(b.ref, b.cur), 0);
      TestResult chi = ChiSquaredHomogeneity(b.ref, b.cur);
      EXPECT_EQ(chi.statistic, 0);
      EXPECT_GT(chi.p_value, 0.999999);
    }
  }
}

TEST(StatsPropertyTest, HalfSigmaShiftOnTenThousandRowsAlwaysDetected) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::vector<double> ref = Normal(seed, 10000, 0);
    std::vector<double> cur = Normal(seed + 1000, 10000, 0.5);
    KsResult ks = KsTwoSample(ref, cur);
    EXPECT_TRUE(ks.exact);
    EXPECT_LT(ks.p_value, 1e-30) << seed;
    EXPECT_GT(ks.statistic, 0.15) << seed;
    EXPECT_GE(WassersteinNormalised(ref, cur), 0.4) << seed;
    // The same on the asymptotic path (sizes above 10,000).
    KsResult big = KsTwoSample(Normal(seed, 12000, 0), Normal(seed + 1000, 11000, 0.5));
    EXPECT_FALSE(big.exact);
    EXPECT_LT(big.p_value, 1e-30) << seed;
  }
}

// P(D >= d_obs) by enumerating every split of the pooled distinct values.
double BruteForcePValue(int n1, int n2, int64_t h_obs) {
  const int n = n1 + n2;
  std::vector<double> pooled(n);
  for (int i = 0; i < n; ++i) pooled[i] = i;
  int total = 0;
  int extreme = 0;
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    if (std::popcount(mask) != n1) continue;
    std::vector<double> x;
    std::vector<double> y;
    for (int i = 0; i < n; ++i) ((mask >> i) & 1 ? x : y).push_back(pooled[i]);
    ++total;
    extreme += KsStatisticTimesLcm(x, y) >= h_obs ? 1 : 0;
  }
  return static_cast<double>(extreme) / total;
}

TEST(StatsPropertyTest, ExactPValuesEqualEnumeration) {
  for (auto [n1, n2] : {std::pair{5, 7}, std::pair{6, 6}, std::pair{4, 9}, std::pair{8, 6}}) {
    const int64_t lcm = std::lcm(n1, n2);
    for (int64_t h = 1; h <= lcm; ++h) {
      const double brute = BruteForcePValue(n1, n2, h);
      EXPECT_NEAR(KsExactPValue(n1, n2, h), brute, 1e-12) << n1 << "," << n2 << " h=" << h;
    }
  }
}

TEST(StatsPropertyTest, PValuesAreMonotoneInTheStatistic) {
  for (auto [n1, n2] : {std::pair{300, 300}, std::pair{400, 250}, std::pair{30000, 20000}}) {
    double last = 1.0;
    for (double d = 0.0; d <= 1.0; d += 0.005) {
      const double p = KsPValue(n1, n2, d);
      ASSERT_FALSE(std::isnan(p));
      EXPECT_LE(p, last + 1e-12) << n1 << "," << n2 << " d=" << d;
      last = p;
    }
  }
}

TEST(StatsPropertyTest, NaNIsDroppedOrStopsTheWalk) {
  const double nan = std::nan("");
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const std::vector<double> y = {2.5, 3.5, 9};
  std::vector<double> xn = {nan, 1, 2, 3, -nan, 4, 5};
  std::vector<double> yn = {2.5, nan, 3.5, 9};
  KsResult clean = KsTwoSample(x, y);
  KsResult dirty = KsTwoSample(xn, yn);
  EXPECT_EQ(clean.statistic, dirty.statistic);
  EXPECT_EQ(clean.p_value, dirty.p_value);
  EXPECT_EQ(Wasserstein1(x, y), Wasserstein1(xn, yn));
  EXPECT_EQ(WassersteinNormalised(x, y), WassersteinNormalised(xn, yn));
  // The sorted entry points were promised no NaN; given some, they end with a number.
  const std::vector<double> tail = {1, 2, nan};
  const std::vector<double> head = {-nan, 1, 2};
  for (const auto& s : {tail, head}) {
    EXPECT_FALSE(std::isnan(KsTwoSampleSorted(s, y).p_value));
    EXPECT_FALSE(std::isnan(Wasserstein1Sorted(s, y)));
    EXPECT_FALSE(std::isnan(Wasserstein1Sorted(y, s)));
  }
}

TEST(StatsPropertyTest, DegenerateInputsHaveDefinedValues) {
  const std::vector<double> empty;
  const std::vector<double> one = {3.0};
  const std::vector<double> constant(50, 2.0);
  const std::vector<double> other(40, 5.0);
  KsResult e = KsTwoSample(empty, one);
  EXPECT_EQ(e.statistic, 0);
  EXPECT_EQ(e.p_value, 1);
  KsResult single = KsTwoSample(one, one);
  EXPECT_EQ(single.statistic, 0);
  EXPECT_EQ(single.p_value, 1);
  // Two constant samples at different values: D = 1, p tiny but a number.
  KsResult apart = KsTwoSample(constant, other);
  EXPECT_EQ(apart.statistic, 1);
  EXPECT_GT(apart.p_value, 0);
  EXPECT_LT(apart.p_value, 1e-20);
  EXPECT_EQ(KsPValue(0, 5, 0.5), 1);
  EXPECT_EQ(KsPValue(5, 5, std::nan("")), 1);
  EXPECT_EQ(KsPValue(5, 5, 2.0), KsPValue(5, 5, 1.0));
  EXPECT_EQ(KsTwoSample(constant, constant).p_value, 1);
  // All values in one bin, constant columns, one value each.
  for (auto [a, b] : {std::pair{constant, constant}, std::pair{constant, other},
                      std::pair{one, one}, std::pair{empty, other}}) {
    BinnedCounts bins = EvidentlyNumericBinCounts(a, b);
    for (double v : {Psi(bins.ref, bins.cur), KlDivergence(bins.ref, bins.cur),
                     JensenShannonDistance(bins.ref, bins.cur), Hellinger(bins.ref, bins.cur),
                     LInfinity(bins.ref, bins.cur), Wasserstein1(a, b), WassersteinNormalised(a, b),
                     ChiSquaredHomogeneity(bins.ref, bins.cur).p_value,
                     ChiSquaredGoodnessOfFit(bins.ref, bins.cur).p_value}) {
      EXPECT_FALSE(std::isnan(v));
      EXPECT_GE(v, 0);
    }
  }
  // Disjoint constant columns are maximally far apart.
  BinnedCounts apart_bins = EvidentlyNumericBinCounts(constant, other);
  EXPECT_EQ(LInfinity(apart_bins.ref, apart_bins.cur), 1);
  EXPECT_TRUE(std::abs(JensenShannonDistance(apart_bins.ref, apart_bins.cur) -
                       std::sqrt(std::log(2.0))) < 1e-15);
}

}  // namespace
}  // namespace ferry::monitoring
