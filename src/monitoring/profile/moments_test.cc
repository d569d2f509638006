#include "monitoring/profile/moments.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace ferry::monitoring {
namespace {

// Two-pass mean and sample variance in long double, the reference.
void TwoPass(const std::vector<double>& v, double* mean, double* var) {
  long double s = 0;
  for (double x : v) s += x;
  const long double m = s / v.size();
  long double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  *mean = static_cast<double>(m);
  *var = static_cast<double>(ss / (v.size() - 1));
}

TEST(MomentsTest, StableWithLargeOffset) {
  std::mt19937_64 gen(5);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> v(100000);
  for (double& x : v) x = 1e9 + noise(gen);
  double mean = 0, var = 0;
  TwoPass(v, &mean, &var);
  Moments m;
  m.AddBatch(v);
  EXPECT_NEAR(m.mean, mean, std::fabs(mean) * 1e-12);
  EXPECT_NEAR(m.Variance(), var, var * 1e-9);  // unit variance on a 1e9 offset

  // Chan's merge of unequal parts agrees with the single pass.
  Moments a, b, c;
  a.AddBatch(std::span<const double>(v).subspan(0, 1000));
  b.AddBatch(std::span<const double>(v).subspan(1000, 60000));
  c.AddBatch(std::span<const double>(v).subspan(61000));
  a.Merge(b);
  a.Merge(c);
  EXPECT_EQ(a.n, v.size());
  EXPECT_NEAR(a.mean, m.mean, std::fabs(m.mean) * 1e-9);
  EXPECT_NEAR(a.Variance(), m.Variance(), m.Variance() * 1e-9);
  EXPECT_EQ(a.min, m.min);
  // Welford one value at a time (Add) is close; profiles use the chunked path above.
  Moments w;
  for (double x : v) w.Add(x);
  EXPECT_NEAR(w.mean, mean, std::fabs(mean) * 1e-12);
  EXPECT_NEAR(w.Variance(), var, var * 1e-7);  // Welford: the mean rounds at ulp(1e9) per step
  EXPECT_EQ(a.max, m.max);
}

TEST(MomentsTest, CountsNonFiniteApart) {
  Moments m;
  const double inf = std::numeric_limits<double>::infinity();
  for (double x : {1.0, inf, -inf, std::nan(""), 3.0, inf}) m.Add(x);
  EXPECT_EQ(m.n, 2u);
  EXPECT_EQ(m.pos_inf, 2u);
  EXPECT_EQ(m.neg_inf, 1u);
  EXPECT_EQ(m.nan, 1u);
  EXPECT_DOUBLE_EQ(m.mean, 2.0);
  EXPECT_DOUBLE_EQ(m.Variance(), 2.0);
  EXPECT_EQ(m.max, 3.0);
}

TEST(MomentsTest, DegenerateInputsAreDefined) {
  Moments empty;
  EXPECT_EQ(empty.Variance(), 0.0);
  Moments one;
  one.Add(4.0);
  EXPECT_EQ(one.Variance(), 0.0);
  Moments constant;
  for (int i = 0; i < 1000; ++i) constant.Add(1e9 + 0.5);
  EXPECT_EQ(constant.mean, 1e9 + 0.5);
  EXPECT_EQ(constant.Variance(), 0.0);
  Moments merged = empty;
  merged.Merge(one);
  merged.Merge(empty);
  EXPECT_EQ(merged.n, 1u);
  EXPECT_EQ(merged.mean, 4.0);
}

}  // namespace
}  // namespace ferry::monitoring
