// ComputeProfileDrift: drift from two profiles (sketch_ks with DataSketches' rule, Jensen-
// Shannon on value counts), its verdicts on the properties, degenerate columns, the
// options sketches cannot honour, and the JSON it shares with ComputeDrift.

#include "monitoring/drift/profile_drift.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "monitoring/drift/drift_format.h"
#include "monitoring/drift/profile_bins.h"
#include "monitoring/drift/report_html.h"
#include "monitoring/drift/testing/frames.h"

namespace ferry::monitoring {
namespace {

using testing::MakeFrame;
using testing::Normal;
using testing::NumColumn;
using testing::Repeat;
using testing::TextColumn;

DatasetProfile Profile(const Frame& f) { return DatasetProfile::FromFrame(f); }

DatasetDrift Drift(const Frame& ref, const Frame& cur, const DriftOptions& options = {}) {
  absl::StatusOr<DatasetDrift> d = ComputeProfileDrift(Profile(ref), Profile(cur), options);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : DatasetDrift();
}

std::vector<std::string> Cities(size_t paris, size_t lyon, size_t nice) {
  return Repeat({{"Paris", static_cast<int>(paris)},
                 {"Lyon", static_cast<int>(lyon)},
                 {"Nice", static_cast<int>(nice)}});
}

TEST(ProfileDriftTest, IdenticalDataNeverDrifts) {
  for (uint32_t seed = 1; seed <= 10; ++seed) {
    for (size_t n : {10u, 1000u, 20000u}) {
      Frame f = MakeFrame({NumColumn("x", Normal(seed, n)),
                           TextColumn("city", Cities(n / 2, n / 3, n - n / 2 - n / 3))});
      DatasetDrift d = Drift(f, f);
      ASSERT_EQ(d.number_of_columns, 2u);
      EXPECT_EQ(d.number_of_drifted_columns, 0u) << "seed " << seed << " n " << n;
      EXPECT_EQ(d.columns[0].statistic, 0.0);
      EXPECT_EQ(d.columns[1].statistic, 0.0);
      EXPECT_FALSE(d.dataset_drift);
    }
  }
}

TEST(ProfileDriftTest, HalfSigmaShiftOnTenThousandRowsDrifts) {
  for (uint32_t seed = 1; seed <= 10; ++seed) {
    Frame ref = MakeFrame({NumColumn("x", Normal(seed, 10000))});
    Frame cur = MakeFrame({NumColumn("x", Normal(seed + 1000, 10000, 0.5))});
    DatasetDrift d = Drift(ref, cur);
    ASSERT_EQ(d.columns.size(), 1u);
    const ColumnDrift& c = d.columns[0];
    EXPECT_EQ(c.type, DriftColumnType::kNum);
    EXPECT_EQ(c.stattest, StatTest::kSketchKs);
    EXPECT_FALSE(c.p_value.has_value());
    EXPECT_TRUE(c.drift_detected) << "seed " << seed << " D=" << c.statistic;
    EXPECT_GT(c.statistic, c.threshold);
    EXPECT_TRUE(d.dataset_drift);
  }
}

// whylogs #684: the raw-sample critical value (0.0019 at 1M vs 1M) is below the sketches'
// own error, so testing against it flags identical distributions.
TEST(ProfileDriftTest, MillionAgainstMillionSameDistributionDoesNotDrift) {
  Frame ref = MakeFrame({NumColumn("x", Normal(7, 1000000))});
  Frame cur = MakeFrame({NumColumn("x", Normal(8, 1000000))});
  DatasetDrift d = Drift(ref, cur);
  ASSERT_EQ(d.columns.size(), 1u);
  EXPECT_FALSE(d.columns[0].drift_detected)
      << "D=" << d.columns[0].statistic << " threshold " << d.columns[0].threshold;
  EXPECT_GT(d.columns[0].threshold, 0.004);  // both sketches' errors are in it
}

TEST(ProfileDriftTest, CategoricalShiftDriftsAndSameProportionsDoNot) {
  Frame ref = MakeFrame({TextColumn("city", Cities(500, 300, 200))});
  Frame same = MakeFrame({TextColumn("city", Cities(50, 30, 20))});
  Frame shifted = MakeFrame({TextColumn("city", Cities(200, 300, 500))});
  DatasetDrift d = Drift(ref, same);
  ASSERT_EQ(d.columns.size(), 1u);
  EXPECT_EQ(d.columns[0].type, DriftColumnType::kCat);
  EXPECT_EQ(d.columns[0].stattest, StatTest::kJensenShannon);
  EXPECT_NEAR(d.columns[0].statistic, 0.0, 1e-12);
  EXPECT_FALSE(d.columns[0].drift_detected);
  d = Drift(ref, shifted);
  EXPECT_TRUE(d.columns[0].drift_detected);
  EXPECT_GT(d.columns[0].statistic, 0.1);
  EXPECT_DOUBLE_EQ(d.columns[0].threshold, 0.1);
  // A new category in the current data.
  d = Drift(ref, MakeFrame({TextColumn("city", Repeat({{"Paris", 50}, {"Lille", 50}}))}));
  EXPECT_TRUE(d.columns[0].drift_detected);
}

TEST(ProfileDriftTest, WholeNumbersWithFewValuesAreCategoricalAndMatchTextSide) {
  Frame ref = MakeFrame({NumColumn("k", {1, 2, 3, 1, 2, 3, 1, 2})});
  Frame cur = MakeFrame({TextColumn("k", {"1", "2", "3", "1", "2", "3", "1", "2"})});
  DatasetDrift d = Drift(ref, cur);
  ASSERT_EQ(d.columns.size(), 1u);
  EXPECT_EQ(d.columns[0].type, DriftColumnType::kCat);
  EXPECT_NEAR(d.columns[0].statistic, 0.0, 1e-12);
}

TEST(ProfileDriftTest, DegenerateColumns) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Frame ref = MakeFrame({NumColumn("constant", std::vector<double>(100, 5.5)),
                         NumColumn("moved", std::vector<double>(100, 5.5)),
                         NumColumn("empty", std::vector<double>(100, nan)),
                         NumColumn("gone", Normal(1, 100)), NumColumn("x", Normal(2, 100))});
  Frame cur =
      MakeFrame({NumColumn("constant", std::vector<double>(80, 5.5)),
                 NumColumn("moved", std::vector<double>(80, 6.5)),
                 NumColumn("empty", std::vector<double>(80, nan)),
                 NumColumn("gone", std::vector<double>(80, nan)), NumColumn("x", Normal(3, 80))});
  DatasetDrift d = Drift(ref, cur);
  ASSERT_EQ(d.columns.size(), 3u);
  EXPECT_EQ(d.columns[0].name, "constant");
  EXPECT_FALSE(d.columns[0].drift_detected);
  EXPECT_EQ(d.columns[1].name, "moved");
  EXPECT_TRUE(d.columns[1].drift_detected);
  EXPECT_EQ(d.columns[1].statistic, 1.0);
  ASSERT_EQ(d.skipped.size(), 2u);
  EXPECT_EQ(d.skipped[0].name, "empty");
  EXPECT_EQ(d.skipped[0].reason, "no valid values in the reference data (100 missing or infinite)");
  EXPECT_EQ(d.skipped[1].name, "gone");
  EXPECT_EQ(d.skipped[1].reason, "no valid values in the current data (80 missing or infinite)");
  for (const ColumnDrift& c : d.columns) {
    EXPECT_TRUE(std::isfinite(c.statistic) && std::isfinite(c.threshold)) << c.name;
  }
  // Nothing comparable: no dataset drift, share 0.
  DatasetDrift none = Drift(MakeFrame({NumColumn("empty", std::vector<double>(3, nan))}),
                            MakeFrame({NumColumn("empty", {1, 2, 3})}));
  EXPECT_EQ(none.number_of_columns, 0u);
  EXPECT_FALSE(none.dataset_drift);
  EXPECT_EQ(none.drift_share, 0.0);
}

TEST(ProfileDriftTest, ColumnMissingFromCurrentIsAnError) {
  Frame ref = MakeFrame({NumColumn("x", {1.5, 2.5}), NumColumn("y", {1.5, 2.5})});
  Frame cur = MakeFrame({NumColumn("x", {1.5, 2.5})});
  absl::StatusOr<DatasetDrift> d = ComputeProfileDrift(Profile(ref), Profile(cur), {});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "column 'y': not in the current data");
  DriftOptions only_x;
  only_x.columns = {"x"};
  EXPECT_TRUE(ComputeProfileDrift(Profile(ref), Profile(cur), only_x).ok());
}

TEST(ProfileDriftTest, DriftShareIsHonoured) {
  Frame ref = MakeFrame({NumColumn("a", Normal(1, 5000)), NumColumn("b", Normal(2, 5000)),
                         NumColumn("c", Normal(3, 5000))});
  Frame cur = MakeFrame({NumColumn("a", Normal(4, 5000, 1.0)), NumColumn("b", Normal(5, 5000)),
                         NumColumn("c", Normal(6, 5000))});
  DriftOptions options;
  DatasetDrift d = Drift(ref, cur, options);
  EXPECT_EQ(d.number_of_drifted_columns, 1u);
  EXPECT_NEAR(d.drift_share, 1.0 / 3, 1e-12);
  EXPECT_FALSE(d.dataset_drift);
  options.drift_share = 0.3;
  EXPECT_TRUE(Drift(ref, cur, options).dataset_drift);
}

TEST(ProfileDriftTest, OverridesThatSketchesCannotHonourAreRefused) {
  for (StatTest t : {StatTest::kKs, StatTest::kChiSquare, StatTest::kChi2Homogeneity, StatTest::kZ,
                     StatTest::kWasserstein}) {
    DriftOptions options;
    options.stattest = t;
    absl::Status s = CheckProfileDriftOptions(options);
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message().find("needs the raw reference values"), std::string::npos) << s;
    options.stattest.reset();
    options.column_tests["x"] = t;
    EXPECT_NE(CheckProfileDriftOptions(options).message().find("--stattest-column x"),
              std::string::npos);
  }
  DriftOptions options;
  options.threshold = 0;
  EXPECT_FALSE(CheckProfileDriftOptions(options).ok());
  // sketch_ks on text is a column error.
  options = {};
  options.stattest = StatTest::kSketchKs;
  Frame f = MakeFrame({TextColumn("city", Cities(5, 3, 2))});
  absl::StatusOr<DatasetDrift> d = ComputeProfileDrift(Profile(f), Profile(f), options);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("column 'city': stattest 'sketch_ks' needs numerical"),
            std::string::npos);
  // The raw-values path refuses sketch_ks.
  d = ComputeDrift(f, f, options);
  EXPECT_FALSE(d.ok());
}

TEST(ProfileDriftTest, BinnedDistancesAndThresholdOverrides) {
  Frame ref = MakeFrame({NumColumn("x", Normal(1, 10000))});
  Frame cur = MakeFrame({NumColumn("x", Normal(2, 10000, 0.5))});
  for (StatTest t : {StatTest::kPsi, StatTest::kJensenShannon, StatTest::kHellinger,
                     StatTest::kKlDiv, StatTest::kLinf}) {
    DriftOptions options;
    options.stattest = t;
    DatasetDrift same = Drift(ref, ref, options);
    EXPECT_NEAR(same.columns[0].statistic, 0.0, 1e-12) << GetStatTestInfo(t).name;
    DatasetDrift d = Drift(ref, cur, options);
    EXPECT_EQ(d.columns[0].stattest, t);
    EXPECT_GT(d.columns[0].statistic, 0.05) << GetStatTestInfo(t).name;
  }
  // --threshold is alpha for sketch_ks: a smaller alpha widens the critical distance.
  DriftOptions loose, tight;
  tight.threshold = 0.001;
  EXPECT_GT(Drift(ref, cur, tight).columns[0].threshold,
            Drift(ref, cur, loose).columns[0].threshold);
  DriftOptions bad;
  bad.threshold = 1.5;
  EXPECT_FALSE(ComputeProfileDrift(Profile(ref), Profile(cur), bad).ok());
}

TEST(ProfileDriftTest, JsonShapeIsTheDocumentedOne) {
  Frame ref =
      MakeFrame({NumColumn("x", {1.5, 2.5, 3.5, 4.5}), TextColumn("c", {"a", "a", "b", "b"})});
  DatasetDrift d = Drift(ref, ref);
  const std::string json = DriftToJson(d);
  EXPECT_NE(json.find("\"x\":{\"column_type\":\"num\",\"stattest\":\"sketch_ks\",\"statistic\":0.0,"
                      "\"p_value\":null,\"threshold\":"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"c\":{\"column_type\":\"cat\",\"stattest\":\"jensenshannon\""),
            std::string::npos)
      << json;
  EXPECT_EQ(json.find("\"dataset_drift\":false,\"drift_share\":0.0,\"number_of_columns\":2,"), 1u);
}

TEST(ProfileDriftTest, ReportHistogramsComeFromTheSketches) {
  Frame ref = MakeFrame({NumColumn("x", Normal(1, 2000)), TextColumn("c", Cities(50, 30, 20))});
  Frame cur = MakeFrame({NumColumn("x", Normal(2, 2000, 3)), TextColumn("c", Cities(20, 30, 50))});
  DatasetProfile rp = Profile(ref), cp = Profile(cur);
  absl::StatusOr<DatasetDrift> d = ComputeProfileDrift(rp, cp, {});
  ASSERT_TRUE(d.ok());
  ReportInfo info{"ref.profile", "cur.csv", "", "The reference is a profile."};
  std::string html = RenderProfileDriftReport(*d, rp, cp, info);
  EXPECT_NE(html.find("The reference is a profile."), std::string::npos);
  EXPECT_NE(html.find("sketch_ks distance"), std::string::npos);
  EXPECT_NE(html.find("<title>Paris: reference 50%, current 20%</title>"), std::string::npos)
      << html;
  ColumnHistogram h = MakeProfileHistogram(DriftColumnType::kNum, *rp.Find("x"), *cp.Find("x"));
  ASSERT_EQ(h.labels.size(), 13u);  // Sturges: ceil(log2(4000)) + 1
  double rs = 0, cs = 0;
  for (double v : h.reference) rs += v;
  for (double v : h.current) cs += v;
  EXPECT_NEAR(rs, 1.0, 1e-9);
  EXPECT_NEAR(cs, 1.0, 1e-9);
}

}  // namespace
}  // namespace ferry::monitoring
