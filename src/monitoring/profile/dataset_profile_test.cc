#include "monitoring/profile/dataset_profile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace ferry::monitoring {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Column Numbers(std::string name, std::vector<double> v) {
  return Column{std::move(name), true, std::move(v), {}};
}
Column Strings(std::string name, std::vector<std::string> v) {
  return Column{std::move(name), false, {}, std::move(v)};
}

Frame Sample(size_t rows, uint64_t seed, double shift = 0.0) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal(1e6 + shift, 3.0);
  Frame f;
  f.columns.push_back(Numbers("x", {}));
  f.columns.push_back(Numbers("n", {}));
  f.columns.push_back(Strings("s", {}));
  for (size_t i = 0; i < rows; ++i) {
    const uint64_t r = gen();
    f.columns[0].numbers.push_back(r % 50 == 0 ? kNaN : normal(gen));
    f.columns[1].numbers.push_back(static_cast<double>(r % 300));
    f.columns[2].strings.push_back(r % 40 == 0 ? "" : "cat" + std::to_string(r % 1000));
  }
  return f;
}

Frame Concat(const Frame& a, const Frame& b) {
  Frame out = a;
  for (size_t c = 0; c < out.columns.size(); ++c) {
    auto& n = out.columns[c].numbers;
    n.insert(n.end(), b.columns[c].numbers.begin(), b.columns[c].numbers.end());
    auto& s = out.columns[c].strings;
    s.insert(s.end(), b.columns[c].strings.begin(), b.columns[c].strings.end());
  }
  return out;
}

TEST(DatasetProfileTest, CountsTypesAndItems) {
  Frame f;
  f.columns.push_back(
      Numbers("a", {1, 2.5, kNaN, 2, std::numeric_limits<double>::infinity(), -0.0}));
  f.columns.push_back(Strings("b", {"x", "", "y", "x", "x", ""}));
  const DatasetProfile p = DatasetProfile::FromFrame(f);
  EXPECT_EQ(p.rows(), 6u);
  const ColumnProfile* a = p.Find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->type(), ProfileColumnType::kNumeric);
  EXPECT_EQ(a->count(), 6u);
  EXPECT_EQ(a->missing(), 1u);
  EXPECT_EQ(a->types().integral, 3u);
  EXPECT_EQ(a->types().fractional, 2u);
  EXPECT_EQ(a->moments().n, 4u);
  EXPECT_EQ(a->moments().pos_inf, 1u);
  EXPECT_EQ(a->kll().n(), 4u);
  EXPECT_EQ(a->kll().max(), 2.5);
  EXPECT_NEAR(a->hll().Estimate(), 5.0, 0.01);   // 1, 2.5, 2, inf, 0
  EXPECT_EQ(a->items().TopItems(5).size(), 3u);  // "0", "1", "2"
  const ColumnProfile* b = p.Find("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->missing(), 2u);
  EXPECT_EQ(b->types().string, 4u);
  EXPECT_TRUE(b->kll().empty());
  EXPECT_EQ(b->items().TopItems(1)[0].item, "x");
  EXPECT_EQ(b->items().TopItems(1)[0].estimate, 3u);
  EXPECT_EQ(p.Find("c"), nullptr);
}

TEST(DatasetProfileTest, MergeAgreesWithProfileOfUnion) {
  const Frame a = Sample(120000, 1), b = Sample(80000, 2, 2.0);
  DatasetProfile pa = DatasetProfile::FromFrame(a), pb = DatasetProfile::FromFrame(b);
  auto merged = MergeProfiles(pa, pb);
  ASSERT_TRUE(merged.ok()) << merged.status();
  const Frame all = Concat(a, b);
  const DatasetProfile whole = DatasetProfile::FromFrame(all);
  EXPECT_EQ(merged->rows(), whole.rows());
  for (const auto& [name, w] : whole.columns()) {
    const ColumnProfile* m = merged->Find(name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->count(), w.count()) << name;
    EXPECT_EQ(m->missing(), w.missing()) << name;
    EXPECT_EQ(m->types().integral, w.types().integral) << name;
    EXPECT_EQ(m->moments().n, w.moments().n) << name;
    EXPECT_NEAR(m->moments().mean, w.moments().mean, std::fabs(w.moments().mean) * 1e-9) << name;
    EXPECT_NEAR(m->moments().Variance(), w.moments().Variance(), w.moments().Variance() * 1e-9);
    EXPECT_EQ(m->moments().min, w.moments().min);
    EXPECT_EQ(m->moments().max, w.moments().max);
    const double e = m->hll().Estimate(), we = w.hll().Estimate();
    EXPECT_NEAR(e, we, 3 * w.hll().RelativeStandardError() * we) << name;
    EXPECT_EQ(m->items().stream_weight(), w.items().stream_weight()) << name;
  }
  // Quantiles: the merged sketch's quantiles have true ranks within its error.
  std::vector<double> x;
  for (double v : all.columns[0].numbers) {
    if (!std::isnan(v)) x.push_back(v);
  }
  std::sort(x.begin(), x.end());
  const KllSortedView view = merged->Find("x")->kll().View();
  const double eps = merged->Find("x")->kll().NormalizedRankError(false);
  for (double q = 0.01; q < 1.0; q += 0.01) {
    const double item = view.Quantile(q);
    const double rank =
        static_cast<double>(std::upper_bound(x.begin(), x.end(), item) - x.begin()) /
        static_cast<double>(x.size());
    EXPECT_NEAR(rank, q, eps) << q;
  }
}

TEST(DatasetProfileTest, MergeWithItselfDoublesCounts) {
  DatasetProfile p = DatasetProfile::FromFrame(Sample(30000, 4));
  const DatasetProfile before = p;
  ASSERT_TRUE(p.Merge(p).ok());
  EXPECT_EQ(p.rows(), 60000u);
  EXPECT_EQ(p.Find("x")->kll().n(), 2 * before.Find("x")->kll().n());
  EXPECT_EQ(p.Find("s")->items().stream_weight(), 2 * before.Find("s")->items().stream_weight());
  EXPECT_NEAR(p.Find("x")->moments().mean, before.Find("x")->moments().mean, 1e-6);
  EXPECT_EQ(p.Find("n")->hll().Estimate(), before.Find("n")->hll().Estimate());
}

TEST(DatasetProfileTest, MergeIsUnionOfColumns) {
  Frame a, b;
  a.columns.push_back(Numbers("x", {1, 2}));
  a.columns.push_back(Numbers("y", {3, 4}));
  b.columns.push_back(Strings("z", {"p"}));
  b.columns.push_back(Numbers("x", {5}));
  DatasetProfile p = DatasetProfile::FromFrame(a);
  ASSERT_TRUE(p.Merge(DatasetProfile::FromFrame(b)).ok());
  ASSERT_EQ(p.columns().size(), 3u);
  EXPECT_EQ(p.columns()[0].first, "x");
  EXPECT_EQ(p.columns()[1].first, "y");
  EXPECT_EQ(p.columns()[2].first, "z");
  EXPECT_EQ(p.Find("x")->count(), 3u);
  EXPECT_EQ(p.Find("y")->count(), 2u);
  EXPECT_EQ(p.rows(), 3u);
}

TEST(DatasetProfileTest, TypeConflictsAreErrorsAndChangeNothing) {
  Frame a, b;
  a.columns.push_back(Numbers("x", {1}));
  b.columns.push_back(Numbers("w", {2}));
  b.columns.push_back(Strings("x", {"p"}));
  DatasetProfile p = DatasetProfile::FromFrame(a);
  absl::Status s = p.AddFrame(b);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "column 'x': text values for a numeric column");
  EXPECT_EQ(p.columns().size(), 1u);
  s = p.Merge(DatasetProfile::FromFrame(b));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.columns().size(), 1u);
  EXPECT_EQ(p.rows(), 1u);
}

TEST(DatasetProfileTest, HistogramFromSketch) {
  Frame f;
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) v.push_back(i % 10);
  f.columns.push_back(Numbers("x", v));
  f.columns.push_back(Numbers("c", std::vector<double>(50, 7.0)));
  f.columns.push_back(Numbers("m", std::vector<double>(50, kNaN)));
  f.columns.push_back(Numbers("e", {}));
  const DatasetProfile p = DatasetProfile::FromFrame(f);
  const Histogram h = p.Find("x")->MakeHistogram(5);
  ASSERT_EQ(h.edges.size(), 6u);
  EXPECT_EQ(h.edges.front(), 0.0);
  EXPECT_EQ(h.edges.back(), 9.0);
  ASSERT_EQ(h.counts.size(), 5u);
  for (double c : h.counts) EXPECT_EQ(c, 200.0);
  const Histogram constant = p.Find("c")->MakeHistogram(10);
  ASSERT_EQ(constant.counts.size(), 1u);
  EXPECT_EQ(constant.counts[0], 50.0);
  EXPECT_TRUE(p.Find("m")->MakeHistogram(10).counts.empty());
  EXPECT_EQ(p.Find("m")->missing(), 50u);
  EXPECT_EQ(p.Find("m")->moments().Variance(), 0.0);
  EXPECT_TRUE(p.Find("e")->MakeHistogram(10).edges.empty());
  EXPECT_EQ(p.Find("e")->count(), 0u);
}

}  // namespace
}  // namespace ferry::monitoring
