// Binned distances, binning and Wasserstein against scipy/numpy vectors computed with
// Evidently's semantics (Sturges bins over the combined data, zero filling, value bins).

#include "monitoring/stats/distances.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "monitoring/stats/binning.h"
#include "monitoring/stats/radix_sort.h"
#include "monitoring/stats/stats_test_util.h"

namespace ferry::monitoring {
namespace {

using testing::Cases;
using testing::Num;
using testing::Nums;
using testing::RelNear;

std::vector<double> Divide(std::vector<double> counts, double n) {
  for (double& c : counts) c /= n;
  return counts;
}

void ExpectAllNear(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) EXPECT_TRUE(RelNear(actual[i], expected[i])) << i;
}

// The binned metrics of one case, given the bin counts of both sides.
void ExpectBinnedMetrics(const JsonValue& c, const std::vector<double>& ref_counts,
                         const std::vector<double>& cur_counts, double n_ref, double n_cur) {
  ExpectAllNear(ZeroFill(Divide(ref_counts, n_ref)), Nums(*c.Find("ref_percents_after_fill")));
  ExpectAllNear(ZeroFill(Divide(cur_counts, n_cur)), Nums(*c.Find("cur_percents_after_fill")));
  EXPECT_TRUE(RelNear(Psi(ref_counts, cur_counts), Num(c, "psi")));
  EXPECT_TRUE(RelNear(KlDivergence(ref_counts, cur_counts), Num(c, "kl_div_natural")));
  EXPECT_TRUE(
      RelNear(JensenShannonDistance(ref_counts, cur_counts), Num(c, "js_distance_natural")));
  EXPECT_TRUE(
      RelNear(JensenShannonDistance(ref_counts, cur_counts, 2.0), Num(c, "js_distance_base2")));
}

TEST(DistanceVectorsTest, CategoricalNewCategory) {
  const JsonValue& c = Cases("binned_metrics_evidently_semantics")[0];
  ASSERT_EQ(c.Find("name")->as_string(), "categorical_new_category");
  std::vector<double> ref;
  std::vector<double> cur;
  for (const auto& [key, value] : c.Find("ref_counts_by_key")->members()) {
    ref.push_back(value.as_double());
    cur.push_back(c.Find("cur_counts_by_key")->Find(key)->as_double());
  }
  ExpectBinnedMetrics(c, ref, cur, 100, 100);
}

TEST(DistanceVectorsTest, NumericalSturgesDecilesAndWasserstein) {
  int sturges = 0;
  for (const JsonValue& c : Cases("binned_metrics_evidently_semantics")) {
    if (c.Find("ref") == nullptr) continue;
    const std::string& name = c.Find("name")->as_string();
    SCOPED_TRACE(name);
    std::vector<double> ref = testing::Stream(*c.Find("ref"));
    std::vector<double> cur = testing::Stream(*c.Find("cur"));
    const JsonValue& binning = *c.Find("binning");
    BinnedCounts counts = EvidentlyNumericBinCounts(ref, cur);
    if (binning.Find("edges") != nullptr) {
      ++sturges;
      std::vector<double> edges = SturgesEdges(ref, cur);
      ExpectAllNear(edges, Nums(*binning.Find("edges")));
      EXPECT_EQ(static_cast<int64_t>(edges.size()) - 1, binning.Find("n_bins")->as_int());
      EXPECT_EQ(HistogramCounts(ref, edges, false), counts.ref);
    } else {
      ExpectAllNear(counts.keys, Nums(*binning.Find("keys")));
    }
    ExpectBinnedMetrics(c, counts.ref, counts.cur, ref.size(), cur.size());
    if (const JsonValue* deciles = c.Find("psi_reference_deciles")) {
      std::vector<double> sorted = ref;
      SortDoubles(sorted);
      std::vector<double> inner = QuantileEdges(sorted, 10);
      ExpectAllNear(inner, Nums(*deciles->Find("inner_edges")));
      std::vector<double> rc = HistogramCounts(ref, inner, true);
      std::vector<double> cc = HistogramCounts(cur, inner, true);
      ExpectAllNear(Divide(rc, ref.size()), Nums(*deciles->Find("ref_percents")));
      ExpectAllNear(Divide(cc, cur.size()), Nums(*deciles->Find("cur_percents")));
      EXPECT_TRUE(RelNear(Psi(rc, cc), Num(*deciles, "psi")));
    }
    if (c.Find("wasserstein_1") != nullptr) {
      EXPECT_TRUE(RelNear(Wasserstein1(ref, cur), Num(c, "wasserstein_1")));
      EXPECT_TRUE(RelNear(PopulationStd(ref), Num(c, "ref_std_ddof0")));
      EXPECT_TRUE(RelNear(WassersteinNormalised(ref, cur), Num(c, "wasserstein_norm_evidently")));
    }
  }
  EXPECT_EQ(sturges, 3);
}

TEST(DistanceVectorsTest, JensenShannonExplicit) {
  for (const JsonValue& c : Cases("jensen_shannon_explicit")) {
    std::vector<double> p = Nums(*c.Find("p"));
    std::vector<double> q = Nums(*c.Find("q"));
    EXPECT_TRUE(RelNear(JensenShannonDistance(p, q, 2.0), Num(c, "distance_base2")));
    EXPECT_TRUE(RelNear(JensenShannonDistance(p, q), Num(c, "distance_natural")));
    const double d2 = JensenShannonDistance(p, q, 2.0);
    EXPECT_TRUE(RelNear(d2 * d2, Num(c, "divergence_base2"), 1e-8));
  }
}

TEST(DistanceVectorsTest, WassersteinExplicit) {
  for (const JsonValue& c : Cases("wasserstein_explicit")) {
    std::vector<double> u = Nums(*c.Find("u_reference"));
    std::vector<double> v = Nums(*c.Find("v_current"));
    EXPECT_TRUE(RelNear(Wasserstein1(u, v), Num(c, "wasserstein_1")));
    EXPECT_TRUE(RelNear(std::max(PopulationStd(u), 0.001), Num(c, "norm=max(std_ddof0(u),0.001)")));
    EXPECT_TRUE(RelNear(WassersteinNormalised(u, v), Num(c, "wasserstein_norm_evidently")));
    EXPECT_TRUE(RelNear(Wasserstein1(v, u), Num(c, "wasserstein_1")));  // symmetric
  }
}

TEST(DistanceTest, HellingerAndLInfinityByHand) {
  // p = (.5, .5), q = (1, 0): H = sqrt((sqrt(.5) - 1)^2 + .5) / sqrt 2.
  const double h = std::sqrt(std::pow(std::sqrt(0.5) - 1, 2) + 0.5) / std::sqrt(2.0);
  EXPECT_TRUE(RelNear(Hellinger({{1, 1}}, {{3, 0}}), h, 1e-15));
  EXPECT_EQ(Hellinger({{1, 0}}, {{0, 1}}), 1.0);
  EXPECT_TRUE(RelNear(LInfinity({{50, 30, 20}}, {{4, 3, 3}}), 0.1, 1e-12));
  EXPECT_EQ(LInfinity({{1, 0}}, {{0, 1}}), 1.0);
}

TEST(DistanceDegenerateTest, EmptyAndZeroSumGiveZero) {
  const std::vector<double> empty;
  const std::vector<double> zeros = {0, 0};
  const std::vector<double> some = {3, 1};
  const std::vector<double> bad = {std::nan(""), -1};
  for (auto [a, b] : {std::pair{empty, empty}, std::pair{zeros, some}, std::pair{some, zeros},
                      std::pair{bad, some}}) {
    EXPECT_EQ(Psi(a, b), 0);
    EXPECT_EQ(KlDivergence(a, b), 0);
    EXPECT_EQ(JensenShannonDistance(a, b), 0);
    EXPECT_EQ(Hellinger(a, b), 0);
    EXPECT_EQ(LInfinity(a, b), 0);
  }
  EXPECT_EQ(Wasserstein1({}, {1, 2}), 0);
  EXPECT_EQ(WassersteinNormalised({1, 2}, {}), 0);
  EXPECT_EQ(PopulationStd({}), 0);
  // Different lengths: the shorter side is padded with zeros.
  EXPECT_TRUE(RelNear(LInfinity({{1}}, {{1, 1}}), 0.5, 1e-15));
  // All mass in one bin on both sides: no difference.
  EXPECT_EQ(Psi({{0, 7, 0}}, {{0, 9, 0}}), 0);
  EXPECT_EQ(JensenShannonDistance({{0, 7, 0}}, {{0, 9, 0}}), 0);
}

TEST(DistanceDegenerateTest, ConstantAndSingleValueSamples) {
  EXPECT_EQ(Wasserstein1({2, 2, 2}, {2}), 0);
  EXPECT_EQ(WassersteinNormalised({2, 2, 2}, {2, 2}), 0);
  EXPECT_TRUE(RelNear(Wasserstein1({0}, {3}), 3.0, 0));
  // The 0.001 floor on a constant reference.
  EXPECT_TRUE(RelNear(WassersteinNormalised({5, 5}, {5.001}), 1.0, 1e-9));
}

}  // namespace
}  // namespace ferry::monitoring
