// Chi-squared, z-test and incomplete gamma against scipy's vectors, plus the degenerate
// inputs each function defines.

#include "monitoring/stats/chi2.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "monitoring/stats/stats_test_util.h"

namespace ferry::monitoring {
namespace {

using testing::Cases;
using testing::Num;
using testing::Nums;
using testing::RelNear;

TEST(Chi2VectorsTest, SurvivalFunction) {
  for (const JsonValue& c : Cases("chi2_sf")) {
    SCOPED_TRACE(std::to_string(Num(c, "x")) + " df " + std::to_string(Num(c, "df")));
    EXPECT_TRUE(RelNear(ChiSquaredSf(Num(c, "x"), Num(c, "df")), Num(c, "sf")));
    EXPECT_TRUE(RelNear(GammaQ(Num(c, "df") / 2, Num(c, "x") / 2), Num(c, "gammaincc(a=k/2,x/2)")));
  }
}

TEST(Chi2VectorsTest, RegularisedIncompleteGamma) {
  for (const JsonValue& c : Cases("gammainc_regularized")) {
    SCOPED_TRACE(std::to_string(Num(c, "a")) + " " + std::to_string(Num(c, "x")));
    EXPECT_TRUE(RelNear(GammaP(Num(c, "a"), Num(c, "x")), Num(c, "P")));
    EXPECT_TRUE(RelNear(GammaQ(Num(c, "a"), Num(c, "x")), Num(c, "Q")));
  }
}

TEST(Chi2VectorsTest, HomogeneityAndGoodnessOfFit) {
  int checked = 0;
  for (const JsonValue& c : Cases("chi_squared_tests")) {
    const std::string& name = c.Find("name")->as_string();
    SCOPED_TRACE(name);
    TestResult r;
    if (name.starts_with("evidently_gof")) {
      r = ChiSquaredGoodnessOfFit(Nums(*c.Find("ref_counts")), Nums(*c.Find("cur_counts")));
    } else {
      const auto& table = c.Find("table")->items();
      const bool yates = name.ends_with("correction_True");
      r = ChiSquaredHomogeneity(Nums(table[0]), Nums(table[1]), yates);
      EXPECT_EQ(r.df, Num(c, "df"));
    }
    EXPECT_TRUE(RelNear(r.statistic, Num(c, "statistic")));
    EXPECT_TRUE(RelNear(r.p_value, Num(c, "pvalue")));
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

TEST(Chi2VectorsTest, ZTestProportions) {
  const auto& cases = Cases("z_test_proportions");
  ASSERT_EQ(cases.size(), 2u);
  const JsonValue& c = cases[0];
  TestResult r = ZTestProportions(Num(c, "ref_count_first_key"), Num(c, "n_ref"),
                                  Num(c, "cur_count_first_key"), Num(c, "n_cur"));
  EXPECT_TRUE(RelNear(r.statistic, Num(c, "z")));
  EXPECT_TRUE(RelNear(r.p_value, Num(c, "pvalue")));
  // Where Evidently's 2 (1 - Phi(|z|)) underflows to 0, erfc keeps the digits.
  EXPECT_TRUE(RelNear(NormalTwoSidedP(Num(cases[1], "z")), Num(cases[1], "pvalue")));
  EXPECT_TRUE(RelNear(NormalTwoSidedP(-Num(cases[1], "z")), Num(cases[1], "pvalue")));
}

TEST(Chi2DegenerateTest, DefinedValuesNeverNaN) {
  const std::vector<double> empty;
  const std::vector<double> zeros = {0, 0, 0};
  const std::vector<double> one = {10};
  const std::vector<double> some = {5, 3, 2};
  for (const TestResult& r :
       {ChiSquaredHomogeneity(empty, empty), ChiSquaredHomogeneity(zeros, some),
        ChiSquaredHomogeneity(one, one), ChiSquaredGoodnessOfFit(empty, empty),
        ChiSquaredGoodnessOfFit(zeros, some), ChiSquaredGoodnessOfFit(some, zeros),
        ChiSquaredGoodnessOfFit(one, one), ZTestProportions(0, 0, 0, 0),
        ZTestProportions(10, 10, 20, 20), ZTestProportions(0, 10, 0, 20)}) {
    EXPECT_EQ(r.statistic, 0);
    EXPECT_EQ(r.p_value, 1);
  }
  // Identical distributions: statistic 0, p 1.
  TestResult same = ChiSquaredHomogeneity(some, some);
  EXPECT_EQ(same.statistic, 0);
  EXPECT_TRUE(RelNear(same.p_value, 1.0));
  EXPECT_EQ(ChiSquaredGoodnessOfFit(some, some).statistic, 0);
  // A category with zero total is dropped, not a division by zero.
  TestResult dropped = ChiSquaredHomogeneity({{120, 0, 80}}, {{45, 0, 55}}, false);
  EXPECT_EQ(dropped.df, 1);
  EXPECT_TRUE(RelNear(dropped.statistic, 6.060606061));
  // Empty current in homogeneity, and gamma edge cases.
  EXPECT_EQ(ChiSquaredHomogeneity(some, zeros).p_value, 1);
  EXPECT_EQ(ChiSquaredSf(std::numeric_limits<double>::infinity(), 3), 0);
  EXPECT_EQ(ChiSquaredSf(0, 3), 1);
  EXPECT_EQ(ChiSquaredSf(std::nan(""), 3), 1);
  EXPECT_EQ(GammaP(2, 0), 0);
  EXPECT_EQ(GammaQ(2, 0), 1);
  EXPECT_EQ(NormalTwoSidedP(std::nan("")), 1);
  EXPECT_EQ(NormalTwoSidedP(0), 1);
}

TEST(Chi2PropertyTest, ZTestEqualsTwoByTwoChiSquared) {
  // z^2 equals the uncorrected 2x2 statistic and the p-values agree.
  TestResult z = ZTestProportions(120, 200, 45, 100);
  TestResult chi = ChiSquaredHomogeneity({{120, 80}}, {{45, 55}}, false);
  EXPECT_TRUE(RelNear(z.statistic * z.statistic, chi.statistic, 1e-12));
  EXPECT_TRUE(RelNear(z.p_value, chi.p_value, 1e-10));
}

TEST(Chi2PropertyTest, LargeShapeKeepsPrecision) {
  // Q(a, a) tends to 1/2 from below; the Stirling-form prefix keeps it smooth at large a.
  for (double a : {1e3, 1e5, 1e7}) {
    const double q = GammaQ(a, a);
    EXPECT_GT(q, 0.49);
    EXPECT_LT(q, 0.5);
    EXPECT_TRUE(RelNear(GammaP(a, a) + q, 1.0, 1e-14));
  }
}

}  // namespace
}  // namespace ferry::monitoring
