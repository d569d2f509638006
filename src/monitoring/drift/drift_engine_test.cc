#include "monitoring/drift/drift_engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "monitoring/drift/testing/frames.h"

namespace ferry::monitoring {
namespace {

using testing::Lcg;
using testing::MakeFrame;
using testing::NumColumn;
using testing::Repeat;
using testing::TextColumn;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// n values cycling over `distinct` whole numbers, plus 0.5 to make them non-integral.
std::vector<double> Cycle(size_t n, int distinct, double offset = 0.5) {
  std::vector<double> out;
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<double>(i % distinct) + offset);
  return out;
}

StatTest AutoTest(std::vector<double> ref, std::vector<double> cur) {
  Frame r = MakeFrame({NumColumn("x", std::move(ref))});
  Frame c = MakeFrame({NumColumn("x", std::move(cur))});
  absl::StatusOr<DatasetDrift> d = ComputeDrift(r, c, {});
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() && !d->columns.empty() ? d->columns[0].stattest : StatTest::kLinf;
}

// The vectors' evidently_default_stattest_selection cases.
TEST(DefaultStatTestTest, EvidentlyBranches) {
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kNum, 500, 2, false), StatTest::kZ);
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kNum, 500, 4, false), StatTest::kChiSquare);
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kNum, 500, 50, false), StatTest::kKs);
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kCat, 1000, 3, false), StatTest::kChiSquare);
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kCat, 1000, 2, false), StatTest::kZ);
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kNum, 1001, 2, false), StatTest::kJensenShannon);
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kNum, 1001, 6, false), StatTest::kWasserstein);
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kCat, 1001, 40, false), StatTest::kJensenShannon);
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kCat, 5000, 2, false), StatTest::kJensenShannon);
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kNum, 500, 5, false), StatTest::kChiSquare);
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kNum, 500, 6, false), StatTest::kKs);
}

TEST(DefaultStatTestTest, StrictPicksHomogeneity) {
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kCat, 500, 3, true), StatTest::kChi2Homogeneity);
  EXPECT_EQ(DefaultStatTest(DriftColumnType::kCat, 500, 2, true), StatTest::kZ);
}

TEST(ComputeDriftTest, SelectionCountsValidReferenceRowsOnly) {
  // 1001 rows of which one is NaN: n_ref = 1000, so ks (not wasserstein).
  std::vector<double> ref = Cycle(1001, 50);
  ref[0] = kNaN;
  EXPECT_EQ(AutoTest(ref, Cycle(300, 50)), StatTest::kKs);
  EXPECT_EQ(AutoTest(Cycle(1001, 50), Cycle(300, 50)), StatTest::kWasserstein);
  EXPECT_EQ(AutoTest(Cycle(1001, 4), Cycle(300, 4)), StatTest::kJensenShannon);
  EXPECT_EQ(AutoTest(Cycle(100, 4), Cycle(30, 4)), StatTest::kChiSquare);
  EXPECT_EQ(AutoTest(Cycle(100, 2), Cycle(30, 2)), StatTest::kZ);
}

TEST(ComputeDriftTest, TypesColumns) {
  Frame ref = MakeFrame({NumColumn("f", Cycle(100, 50)), NumColumn("i", Cycle(100, 7, 0)),
                         TextColumn("s", Repeat({{"a", 50}, {"b", 50}})),
                         TextColumn("t", std::vector<std::string>(100, ""))});
  for (int i = 0; i < 100; ++i) ref.columns[3].strings[i] = "id" + std::to_string(i);
  absl::StatusOr<DatasetDrift> d = ComputeDrift(ref, ref, {});
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->columns.size(), 3u);
  EXPECT_EQ(d->columns[0].type, DriftColumnType::kNum);
  EXPECT_EQ(d->columns[1].type, DriftColumnType::kCat);
  EXPECT_EQ(d->columns[1].stattest, StatTest::kChiSquare);
  EXPECT_EQ(d->columns[2].type, DriftColumnType::kCat);
  EXPECT_EQ(d->columns[2].stattest, StatTest::kZ);
  ASSERT_EQ(d->skipped.size(), 1u);
  EXPECT_EQ(d->skipped[0].name, "t");
  EXPECT_NE(d->skipped[0].reason.find("text column"), std::string::npos);
}

// Two drifted columns of four: share 0.5 >= 0.5 is dataset drift; 1 of 4 is not.
TEST(ComputeDriftTest, DatasetVerdictByShare) {
  std::vector<double> base = Lcg(1, 500), shifted = Lcg(2, 500, 0.5), same = Lcg(3, 500);
  Frame ref = MakeFrame(
      {NumColumn("a", base), NumColumn("b", base), NumColumn("c", base), NumColumn("d", base)});
  Frame cur = MakeFrame({NumColumn("a", shifted), NumColumn("b", shifted), NumColumn("c", same),
                         NumColumn("d", same)});
  absl::StatusOr<DatasetDrift> d = ComputeDrift(ref, cur, {});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->number_of_columns, 4u);
  EXPECT_EQ(d->number_of_drifted_columns, 2u);
  EXPECT_EQ(d->drift_share, 0.5);
  EXPECT_TRUE(d->dataset_drift);
  DriftOptions opts;
  opts.drift_share = 0.6;
  d = ComputeDrift(ref, cur, opts);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->dataset_drift);
  opts = {};
  opts.columns = {"a", "c", "d", "a"};  // a repeated name is tested once
  d = ComputeDrift(ref, cur, opts);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->number_of_columns, 3u);
  EXPECT_FALSE(d->dataset_drift);
  EXPECT_EQ(d->columns[0].name, "a");
}

TEST(ComputeDriftTest, OverridesTestAndThreshold) {
  Frame ref = MakeFrame({NumColumn("a", Lcg(11, 1000)), NumColumn("b", Lcg(11, 1000))});
  Frame cur = MakeFrame({NumColumn("a", Lcg(12, 800, 0.1)), NumColumn("b", Lcg(12, 800, 0.1))});
  DriftOptions opts;
  opts.stattest = StatTest::kPsi;
  opts.column_tests["b"] = StatTest::kWasserstein;
  opts.threshold = 0.3;
  absl::StatusOr<DatasetDrift> d = ComputeDrift(ref, cur, opts);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->columns[0].stattest, StatTest::kPsi);
  EXPECT_NEAR(d->columns[0].statistic, 1.150334888, 1e-8);
  EXPECT_FALSE(d->columns[0].p_value.has_value());
  EXPECT_EQ(d->columns[0].threshold, 0.3);
  EXPECT_TRUE(d->columns[0].drift_detected);
  EXPECT_EQ(d->columns[1].stattest, StatTest::kWasserstein);
  EXPECT_NEAR(d->columns[1].statistic, 0.2936796539, 1e-9);
  EXPECT_FALSE(d->columns[1].drift_detected);  // 0.2937 < 0.3
}

TEST(ComputeDriftTest, StrictMode) {
  Frame ref = MakeFrame(
      {TextColumn("c", Repeat({{"a", 120}, {"b", 60}, {"c", 20}})), NumColumn("x", Lcg(11, 1000))});
  Frame cur = MakeFrame({TextColumn("c", Repeat({{"a", 40}, {"b", 35}, {"c", 25}})),
                         NumColumn("x", Lcg(12, 800, 0.1))});
  DriftOptions opts;
  opts.strict = true;
  opts.column_tests["x"] = StatTest::kPsi;
  absl::StatusOr<DatasetDrift> d = ComputeDrift(ref, cur, opts);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->columns[0].stattest, StatTest::kChi2Homogeneity);
  EXPECT_NEAR(*d->columns[0].p_value / 0.0004251119998, 1, 1e-9);
  EXPECT_NEAR(d->columns[1].statistic / 0.3044229082, 1, 1e-9);
}

TEST(ComputeDriftTest, DegenerateColumns) {
  std::vector<double> nan(50, kNaN);
  Frame ref = MakeFrame({NumColumn("allnan", nan), NumColumn("curnan", Cycle(50, 20)),
                         NumColumn("const", std::vector<double>(50, 2.5)),
                         TextColumn("bin", std::vector<std::string>(50, "a"))});
  Frame cur = MakeFrame({NumColumn("allnan", nan), NumColumn("curnan", nan),
                         NumColumn("const", std::vector<double>(40, 2.5)),
                         TextColumn("bin", std::vector<std::string>(40, "a"))});
  absl::StatusOr<DatasetDrift> d = ComputeDrift(ref, cur, {});
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->skipped.size(), 2u);
  EXPECT_NE(d->skipped[0].reason.find("no valid values in the reference data (50 missing"),
            std::string::npos);
  EXPECT_NE(d->skipped[1].reason.find("current data"), std::string::npos);
  ASSERT_EQ(d->columns.size(), 2u);
  for (const ColumnDrift& c : d->columns) {
    EXPECT_TRUE(std::isfinite(c.statistic)) << c.name;
    EXPECT_EQ(c.p_value.value_or(1), 1.0) << c.name;
    EXPECT_FALSE(c.drift_detected) << c.name;
  }
  EXPECT_FALSE(d->dataset_drift);
}

TEST(ComputeDriftTest, NoTestableColumnsIsNoDrift) {
  Frame ref = MakeFrame({NumColumn("x", {kNaN})});
  absl::StatusOr<DatasetDrift> d = ComputeDrift(ref, ref, {});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->number_of_columns, 0u);
  EXPECT_EQ(d->drift_share, 0.0);
  EXPECT_FALSE(d->dataset_drift);
}

TEST(ComputeDriftTest, Errors) {
  Frame ref = MakeFrame({NumColumn("x", Cycle(50, 20)), TextColumn("s", Repeat({{"a", 30}}))});
  Frame cur = MakeFrame({TextColumn("x", Repeat({{"oops", 30}}))});
  absl::StatusOr<DatasetDrift> d = ComputeDrift(ref, cur, {});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "column 's': not in the current data");
  DriftOptions opts;
  opts.columns = {"x"};
  d = ComputeDrift(ref, cur, opts);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "column 'x': numerical in the reference but text in the current data");
  opts.columns = {"nope"};
  EXPECT_EQ(ComputeDrift(ref, cur, opts).status().message(),
            "column 'nope': not in the reference data");
  opts = {};
  opts.columns = {"s"};
  opts.stattest = StatTest::kKs;
  Frame cur2 = MakeFrame({TextColumn("s", Repeat({{"b", 30}}))});
  EXPECT_EQ(ComputeDrift(ref, cur2, opts).status().message(),
            "column 's': stattest 'ks' needs numerical values, the column holds text");
  opts = {};
  opts.drift_share = 0;
  EXPECT_FALSE(ComputeDrift(ref, ref, opts).ok());
  opts = {};
  opts.threshold = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(ComputeDrift(ref, ref, opts).ok());
}

TEST(ComputeDriftTest, TextReferenceComparesNumericCurrentAsText) {
  Frame ref = MakeFrame({TextColumn("c", Repeat({{"1", 40}, {"2", 40}, {"x", 20}}))});
  Frame cur = MakeFrame({NumColumn("c", std::vector<double>(50, 1))});
  absl::StatusOr<DatasetDrift> d = ComputeDrift(ref, cur, {});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->columns[0].stattest, StatTest::kChiSquare);
  EXPECT_TRUE(d->columns[0].drift_detected);
}

}  // namespace
}  // namespace ferry::monitoring
