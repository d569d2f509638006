// Binning edge semantics (numpy's) and the float64 radix sort.

#include "monitoring/stats/binning.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "monitoring/stats/radix_sort.h"

namespace ferry::monitoring {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(BinningTest, ClosedEdgesFollowNumpy) {
  const std::vector<double> edges = {0, 1, 2, 3};
  // [0,1) [1,2) [2,3]; -1 and 3.5 fall outside and are dropped, NaN is never counted.
  const std::vector<double> values = {-1, 0, 0.5, 1, 1.999, 2, 3, 3.5, std::nan("")};
  EXPECT_EQ(HistogramCounts(values, edges, false), (std::vector<double>{2, 2, 2}));
  EXPECT_TRUE(HistogramCounts(values, {{1.0}}, false).empty());
}

TEST(BinningTest, OpenOuterBinsCountEdgesAtOrBelow) {
  const std::vector<double> edges = {1, 2};
  const std::vector<double> values = {-kInf, 0, 1, 1.5, 2, 9, kInf};
  EXPECT_EQ(HistogramCounts(values, edges, true), (std::vector<double>{2, 2, 3}));
  EXPECT_EQ(HistogramCounts(values, {}, true), (std::vector<double>{7}));
}

// numpy.histogram by definition: [e_i, e_i+1), the last bin closed, outside dropped.
std::vector<double> LinearCounts(const std::vector<double>& values,
                                 const std::vector<double>& edges) {
  std::vector<double> counts(edges.size() - 1, 0);
  for (double v : values) {
    if (!(v >= edges.front() && v <= edges.back())) continue;
    size_t i = 0;
    while (i + 2 < edges.size() && v >= edges[i + 1]) ++i;
    counts[i] += 1;
  }
  return counts;
}

TEST(BinningTest, MatchesLinearSearchOnRandomData) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  std::vector<double> values(5000);
  for (double& v : values) v = normal(rng);
  std::vector<double> edges = SturgesEdges(values, {});
  EXPECT_EQ(edges.size(), 15u);  // ceil(log2(5000) + 1) = 14 bins
  // Values on and one ulp either side of every edge, where the computed index is off.
  for (double e : std::vector<double>(edges)) {
    values.push_back(e);
    values.push_back(std::nextafter(e, kInf));
    values.push_back(std::nextafter(e, -kInf));
  }
  values.push_back(std::nan(""));
  // Equal-width edges take the computed-index path, bent ones the binary search.
  EXPECT_EQ(HistogramCounts(values, edges, false), LinearCounts(values, edges));
  std::vector<double> bent = edges;
  bent[1] = std::nextafter(bent[1], -kInf);
  EXPECT_EQ(HistogramCounts(values, bent, false), LinearCounts(values, bent));
}

TEST(BinningTest, SturgesDegenerateInputs) {
  EXPECT_EQ(SturgesEdges({}, {}), (std::vector<double>{0, 1}));
  EXPECT_EQ(SturgesEdges({{4, 4}}, {{4}}), (std::vector<double>{3.5, 4.5}));
  EXPECT_EQ(SturgesEdges({{std::nan(""), kInf}}, {{2}}), (std::vector<double>{1.5, 2.5}));
  std::vector<double> e = SturgesEdges({{0, 1}}, {});
  EXPECT_EQ(e, (std::vector<double>{0, 0.5, 1}));  // N = 2: ceil(log2 2 + 1) = 2 bins
}

TEST(BinningTest, QuantileEdgesLinearInterpolation) {
  const std::vector<double> sorted = {0, 1, 2, 3, 4};
  // q * (n - 1) = 0.8, 1.6, 2.4, 3.2 for quintiles.
  std::vector<double> e = QuantileEdges(sorted, 5);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_DOUBLE_EQ(e[0], 0.8);
  EXPECT_DOUBLE_EQ(e[1], 1.6);
  EXPECT_DOUBLE_EQ(e[2], 2.4);
  EXPECT_DOUBLE_EQ(e[3], 3.2);
  EXPECT_TRUE(QuantileEdges({}, 10).empty());
  EXPECT_TRUE(QuantileEdges(sorted, 1).empty());
  EXPECT_EQ(QuantileEdges({{7}}, 4), (std::vector<double>{7, 7, 7}));
}

TEST(BinningTest, ZeroFillRule) {
  EXPECT_EQ(ZeroFill({0.5, 0, 0.5}), (std::vector<double>{0.5, 1e-4, 0.5}));
  // min non-zero <= 1e-4: fill with min / 1e6.
  std::vector<double> small = ZeroFill({1e-5, 0, 1 - 1e-5});
  EXPECT_DOUBLE_EQ(small[1], 1e-11);
  EXPECT_EQ(ZeroFill({0, 0}), (std::vector<double>{0, 0}));
  EXPECT_TRUE(ZeroFill({}).empty());
}

TEST(BinningTest, ValueBinsAndEvidentlyChoice) {
  BinnedCounts b = ValueBinCounts({{2, 1, 1, std::nan("")}}, {{3, 1}});
  EXPECT_EQ(b.keys, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(b.ref, (std::vector<double>{2, 1, 0}));
  EXPECT_EQ(b.cur, (std::vector<double>{1, 0, 1}));
  // 20 distinct reference values: value bins; 21: Sturges.
  std::vector<double> twenty(20);
  for (size_t i = 0; i < twenty.size(); ++i) twenty[i] = i;
  EXPECT_EQ(EvidentlyNumericBinCounts(twenty, twenty).keys.size(), 20u);
  twenty.push_back(20);
  BinnedCounts s = EvidentlyNumericBinCounts(twenty, twenty);
  EXPECT_EQ(s.ref.size(), 7u);  // ceil(log2(42) + 1) = 7
  EXPECT_EQ(s.keys.size(), s.ref.size());
  EXPECT_TRUE(ValueBinCounts({}, {}).keys.empty());
}

TEST(BinningTest, CategoryBinsAreTheSortedUnion) {
  const std::vector<std::string_view> ref = {"b", "a", "b", "\xc3\xa9t\xc3\xa9"};
  const std::vector<std::string_view> cur = {"c", "a", "zz"};
  CategoryCounts c = CategoryBinCounts(ref, cur);
  EXPECT_EQ(c.keys, (std::vector<std::string>{"a", "b", "c", "zz", "\xc3\xa9t\xc3\xa9"}));
  EXPECT_EQ(c.ref, (std::vector<double>{1, 2, 0, 0, 1}));
  EXPECT_EQ(c.cur, (std::vector<double>{1, 0, 1, 1, 0}));
  EXPECT_TRUE(CategoryBinCounts({}, {}).keys.empty());
}

TEST(RadixSortTest, MatchesStdSortOnEveryKindOfValue) {
  std::mt19937_64 rng(11);
  for (size_t n : {0u, 1u, 100u, 5000u, 100000u}) {
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i) {
      switch (rng() % 6) {
        case 0:
          v[i] =
              std::bit_cast<double>((rng() & ~(uint64_t{0x7ff} << 52)) | (uint64_t{0x3ff} << 52));
          break;
        case 1:
          v[i] = -static_cast<double>(rng() % 1000);
          break;
        case 2:
          v[i] = (rng() % 2) ? 0.0 : -0.0;
          break;
        case 3:
          v[i] = (rng() % 2) ? kInf : -kInf;
          break;
        case 4:
          v[i] = std::ldexp(static_cast<double>(rng() % 1000), -1070);
          break;  // subnormal
        default:
          v[i] = std::normal_distribution<double>(0, 1e6)(rng);
      }
    }
    std::vector<double> expected = v;
    std::sort(expected.begin(), expected.end());
    SortDoubles(v);
    ASSERT_EQ(v.size(), expected.size());
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(v[i], expected[i]) << i;
      if (v[i] == 0 && i > 0 && v[i - 1] == 0) {
        EXPECT_LE(std::signbit(v[i]), std::signbit(v[i - 1]));  // -0.0 before +0.0
      }
    }
  }
}

TEST(RadixSortTest, ConstantDigitsAreSkippedCorrectly) {
  std::vector<double> v(10000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>((i * 7919) % 10000);
  SortDoubles(v);
  for (size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], static_cast<double>(i));
}

}  // namespace
}  // namespace ferry::monitoring
