#include "monitoring/drift/stattest.h"

#include <gtest/gtest.h>

#include "monitoring/drift/column_data.h"
#include "monitoring/drift/stattest_run.h"
#include "monitoring/drift/testing/frames.h"

namespace ferry::monitoring {
namespace {

using testing::Lcg;
using testing::NumColumn;
using testing::Repeat;
using testing::TextColumn;

TEST(StatTestTest, ParsesEveryName) {
  for (const char* name : {"ks", "chisquare", "chi2_homogeneity", "z", "wasserstein",
                           "jensenshannon", "psi", "kl_div", "hellinger", "linf"}) {
    absl::StatusOr<StatTest> t = ParseStatTest(name);
    ASSERT_TRUE(t.ok()) << name;
    EXPECT_EQ(GetStatTestInfo(*t).name, name);
  }
}

TEST(StatTestTest, UnknownNameListsTheAvailableOnes) {
  absl::StatusOr<StatTest> t = ParseStatTest("anderson");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("anderson"), std::string::npos);
  EXPECT_NE(t.status().message().find("chi2_homogeneity"), std::string::npos);
}

TEST(StatTestTest, EvidentlyDefaultThresholds) {
  EXPECT_EQ(GetStatTestInfo(StatTest::kKs).default_threshold, 0.05);
  EXPECT_EQ(GetStatTestInfo(StatTest::kChiSquare).default_threshold, 0.05);
  EXPECT_EQ(GetStatTestInfo(StatTest::kZ).default_threshold, 0.05);
  EXPECT_EQ(GetStatTestInfo(StatTest::kWasserstein).default_threshold, 0.1);
  EXPECT_EQ(GetStatTestInfo(StatTest::kJensenShannon).default_threshold, 0.1);
  EXPECT_EQ(GetStatTestInfo(StatTest::kPsi).default_threshold, 0.1);
}

// Evidently's operators at the boundary: ks p <= thr, other p-value tests p < thr, distances
// score >= thr.
TEST(StatTestTest, OperatorsAtTheThreshold) {
  EXPECT_TRUE(IsDrift(StatTest::kKs, 0.05, 0.05, false));
  EXPECT_FALSE(IsDrift(StatTest::kKs, 0.0500001, 0.05, false));
  EXPECT_FALSE(IsDrift(StatTest::kChiSquare, 0.05, 0.05, false));
  EXPECT_TRUE(IsDrift(StatTest::kChiSquare, 0.0499999, 0.05, false));
  EXPECT_FALSE(IsDrift(StatTest::kZ, 0.05, 0.05, false));
  EXPECT_FALSE(IsDrift(StatTest::kChi2Homogeneity, 0.05, 0.05, false));
  EXPECT_TRUE(IsDrift(StatTest::kWasserstein, 0.1, 0.1, false));
  EXPECT_FALSE(IsDrift(StatTest::kWasserstein, 0.0999999, 0.1, false));
  EXPECT_TRUE(IsDrift(StatTest::kJensenShannon, 0.1, 0.1, false));
  EXPECT_TRUE(IsDrift(StatTest::kPsi, 0.1, 0.1, false));
}

TEST(StatTestTest, StrictUsesOneRuleForPValues) {
  EXPECT_FALSE(IsDrift(StatTest::kKs, 0.05, 0.05, true));
  EXPECT_TRUE(IsDrift(StatTest::kKs, 0.049, 0.05, true));
  EXPECT_TRUE(IsDrift(StatTest::kPsi, 0.1, 0.1, true));
}

CleanValues Text(std::vector<std::string> v) { return CleanColumn(TextColumn("c", std::move(v))); }
CleanValues Num(std::vector<double> v) { return CleanColumn(NumColumn("c", std::move(v))); }

// Reference 1.5 pitfall 1: ref=[120,60,20], cur=[40,35,25].
TEST(RunStatTestTest, ChiSquareGoodnessOfFitAndHomogeneity) {
  CleanValues ref = Text(Repeat({{"a", 120}, {"b", 60}, {"c", 20}}));
  CleanValues cur = Text(Repeat({{"a", 40}, {"b", 35}, {"c", 25}}));
  auto gof = RunStatTest(StatTest::kChiSquare, DriftColumnType::kCat, ref, cur, false);
  ASSERT_TRUE(gof.ok());
  EXPECT_NEAR(gof->statistic, 30.0, 1e-9);
  EXPECT_NEAR(*gof->p_value / 3.059023205e-07, 1, 1e-9);
  auto hom = RunStatTest(StatTest::kChi2Homogeneity, DriftColumnType::kCat, ref, cur, false);
  ASSERT_TRUE(hom.ok());
  EXPECT_NEAR(hom->statistic / 15.52631579, 1, 1e-9);
  EXPECT_NEAR(*hom->p_value / 0.0004251119998, 1, 1e-9);
}

TEST(RunStatTestTest, ChiSquareNewCategoryIsFinite) {
  auto r = RunStatTest(StatTest::kChiSquare, DriftColumnType::kCat, Text({"a", "b", "a"}),
                       Text({"a", "c", "c"}), false);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::isfinite(r->statistic));
  EXPECT_GT(r->statistic, 1e300);
  EXPECT_EQ(*r->p_value, 0.0);
}

TEST(RunStatTestTest, ZTestVector) {
  CleanValues ref = Text(Repeat({{"x", 120}, {"y", 80}}));
  CleanValues cur = Text(Repeat({{"x", 45}, {"y", 55}}));
  auto r = RunStatTest(StatTest::kZ, DriftColumnType::kCat, ref, cur, false);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(std::abs(r->statistic) / 2.46182982, 1, 1e-8);
  EXPECT_NEAR(*r->p_value / 0.01382302382, 1, 1e-8);
}

TEST(RunStatTestTest, ZTestRefusesThreeCategories) {
  auto r = RunStatTest(StatTest::kZ, DriftColumnType::kCat, Text({"a", "b"}), Text({"c"}), false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("at most two categories"), std::string::npos);
}

TEST(RunStatTestTest, NumericOnlyTestsRefuseText) {
  auto r = RunStatTest(StatTest::kKs, DriftColumnType::kCat, Text({"a"}), Text({"b"}), false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'ks' needs numerical values"), std::string::npos);
}

TEST(RunStatTestTest, WassersteinVector) {
  auto r = RunStatTest(StatTest::kWasserstein, DriftColumnType::kNum, Num({0, 1, 3}),
                       Num({5, 6, 8}), false);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->statistic / 4.008918629, 1, 1e-9);
  EXPECT_FALSE(r->p_value.has_value());
}

// lcg 11 u (1000) vs lcg 12 u + 0.1 (800): Sturges PSI (Evidently) and decile PSI (strict).
TEST(RunStatTestTest, PsiSturgesAndDeciles) {
  CleanValues ref = Num(Lcg(11, 1000)), cur = Num(Lcg(12, 800, 0.1));
  auto evidently = RunStatTest(StatTest::kPsi, DriftColumnType::kNum, ref, cur, false);
  auto strict = RunStatTest(StatTest::kPsi, DriftColumnType::kNum, ref, cur, true);
  auto kl = RunStatTest(StatTest::kKlDiv, DriftColumnType::kNum, ref, cur, false);
  auto js = RunStatTest(StatTest::kJensenShannon, DriftColumnType::kNum, ref, cur, false);
  ASSERT_TRUE(evidently.ok() && strict.ok() && kl.ok() && js.ok());
  EXPECT_NEAR(evidently->statistic / 1.150334888, 1, 1e-9);
  EXPECT_NEAR(strict->statistic / 0.3044229082, 1, 1e-9);
  EXPECT_NEAR(kl->statistic / 0.5850979527, 1, 1e-9);
  EXPECT_NEAR(js->statistic / 0.2458968551, 1, 1e-9);
}

TEST(RunStatTestTest, CategoricalPsiWithNewCategory) {
  CleanValues ref = Num(std::vector<double>(50, 0.0));
  for (int i = 0; i < 30; ++i) ref.numbers.push_back(1);
  for (int i = 0; i < 20; ++i) ref.numbers.push_back(2);
  CleanValues cur = Num(std::vector<double>(40, 0.0));
  for (int v : {1, 2, 3}) {
    for (int i = 0; i < (v == 3 ? 10 : v == 1 ? 30 : 20); ++i) cur.numbers.push_back(v);
  }
  auto psi = RunStatTest(StatTest::kPsi, DriftColumnType::kCat, ref, cur, false);
  auto js = RunStatTest(StatTest::kJensenShannon, DriftColumnType::kCat, ref, cur, false);
  ASSERT_TRUE(psi.ok() && js.ok());
  EXPECT_NEAR(psi->statistic / 0.7123991075, 1, 1e-9);
  EXPECT_NEAR(js->statistic / 0.193496462, 1, 1e-9);
}

}  // namespace
}  // namespace ferry::monitoring
