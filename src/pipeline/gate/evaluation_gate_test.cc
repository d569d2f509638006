#include "pipeline/gate/evaluation_gate.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace ferry::pipeline {
namespace {

MetricThreshold Accuracy() {
  MetricThreshold t;
  t.metric = "accuracy";
  return t;
}

TEST(EvaluationGateTest, ValueBoundsAreInclusive) {
  MetricThreshold t = Accuracy();
  t.lower_bound = 0.8;
  t.upper_bound = 0.99;
  EXPECT_TRUE(EvaluateGate({t}, {{"accuracy", 0.8}}, std::nullopt).passed);
  EXPECT_TRUE(EvaluateGate({t}, {{"accuracy", 0.99}}, std::nullopt).passed);
  GateResult low = EvaluateGate({t}, {{"accuracy", 0.79}}, std::nullopt);
  ASSERT_FALSE(low.passed);
  EXPECT_EQ(low.Summary(), "failed: accuracy = 0.79 is below 0.8");
  EXPECT_FALSE(EvaluateGate({t}, {{"accuracy", 0.995}}, std::nullopt).passed);
}

TEST(EvaluationGateTest, ChangeThresholdsSkippedWithoutBaseline) {
  MetricThreshold t = Accuracy();
  t.absolute_change = 0.01;
  t.relative_change = 0.05;
  GateResult r = EvaluateGate({t}, {{"accuracy", 0.5}}, std::nullopt);
  EXPECT_TRUE(r.passed);
  ASSERT_EQ(r.checks.size(), 2u);
  EXPECT_TRUE(r.checks[0].skipped);
  EXPECT_TRUE(r.checks[1].skipped);
}

// TFMA: diff = v_c - v_b, relative = diff / v_b; higher is better passes when both are at
// least their bounds.
TEST(EvaluationGateTest, HigherIsBetterChange) {
  MetricThreshold t = Accuracy();
  t.absolute_change = 0.01;
  GateResult up = EvaluateGate({t}, {{"accuracy", 0.86}}, Metrics{{"accuracy", 0.85}});
  EXPECT_TRUE(up.passed) << up.Summary();
  EXPECT_NEAR(up.checks[0].observed, 0.01, 1e-12);
  GateResult flat = EvaluateGate({t}, {{"accuracy", 0.855}}, Metrics{{"accuracy", 0.85}});
  ASSERT_FALSE(flat.passed);
  EXPECT_NE(flat.Summary().find("below 0.01 (higher is better)"), std::string::npos)
      << flat.Summary();

  MetricThreshold rel = Accuracy();
  rel.relative_change = -0.02;  // at most 2% worse than the champion
  EXPECT_TRUE(EvaluateGate({rel}, {{"accuracy", 0.84}}, Metrics{{"accuracy", 0.85}}).passed);
  GateResult worse = EvaluateGate({rel}, {{"accuracy", 0.80}}, Metrics{{"accuracy", 0.85}});
  ASSERT_FALSE(worse.passed);
  EXPECT_NEAR(worse.checks[0].observed, -0.05 / 0.85, 1e-12);
}

TEST(EvaluationGateTest, LowerIsBetterChange) {
  MetricThreshold t;
  t.metric = "rmse";
  t.direction = Direction::kLowerIsBetter;
  t.absolute_change = 0;  // must not get worse
  EXPECT_TRUE(EvaluateGate({t}, {{"rmse", 1.9}}, Metrics{{"rmse", 2.0}}).passed);
  EXPECT_TRUE(EvaluateGate({t}, {{"rmse", 2.0}}, Metrics{{"rmse", 2.0}}).passed);
  GateResult r = EvaluateGate({t}, {{"rmse", 2.1}}, Metrics{{"rmse", 2.0}});
  ASSERT_FALSE(r.passed);
  EXPECT_NE(r.Summary().find("is above 0 (lower is better)"), std::string::npos) << r.Summary();
}

// TFMA fails every change threshold on a zero baseline (its ratio is NaN); an absolute-only
// threshold is judged on the difference here, and a relative one says why it cannot be.
TEST(EvaluationGateTest, ZeroBaseline) {
  MetricThreshold abs_only = Accuracy();
  abs_only.absolute_change = 0.1;
  EXPECT_TRUE(EvaluateGate({abs_only}, {{"accuracy", 0.2}}, Metrics{{"accuracy", 0}}).passed);
  MetricThreshold rel = Accuracy();
  rel.relative_change = 0.1;
  GateResult r = EvaluateGate({rel}, {{"accuracy", 0.2}}, Metrics{{"accuracy", 0}});
  ASSERT_FALSE(r.passed);
  EXPECT_NE(r.Summary().find("relative change is undefined"), std::string::npos);
}

TEST(EvaluationGateTest, MissingAndNonFiniteMetricsFail) {
  MetricThreshold t = Accuracy();
  t.lower_bound = 0;
  GateResult missing = EvaluateGate({t}, {{"auc", 0.9}}, std::nullopt);
  ASSERT_FALSE(missing.passed);
  EXPECT_EQ(missing.Summary(), "failed: accuracy: the candidate has no such metric");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(EvaluateGate({t}, {{"accuracy", nan}}, std::nullopt).passed);
  MetricThreshold change = Accuracy();
  change.absolute_change = 0;
  GateResult no_base = EvaluateGate({change}, {{"accuracy", 0.9}}, Metrics{{"auc", 0.9}});
  ASSERT_FALSE(no_base.passed);
  EXPECT_NE(no_base.Summary().find("baseline model has no such metric"), std::string::npos);
  EXPECT_FALSE(EvaluateGate({change}, {{"accuracy", 0.9}}, Metrics{{"accuracy", nan}}).passed);
}

TEST(EvaluationGateTest, EveryThresholdIsReported) {
  MetricThreshold a = Accuracy();
  a.lower_bound = 0.9;
  MetricThreshold b;
  b.metric = "latency_ms";
  b.upper_bound = 5;
  GateResult r = EvaluateGate({a, b}, {{"accuracy", 0.5}, {"latency_ms", 9}}, std::nullopt);
  EXPECT_EQ(r.Summary(), "failed: accuracy = 0.5 is below 0.9; latency_ms = 9 is above 5");
  EXPECT_EQ(EvaluateGate({a, b}, {{"accuracy", 0.95}, {"latency_ms", 1}}, std::nullopt).Summary(),
            "passed: 2 checks");
}

}  // namespace
}  // namespace ferry::pipeline
