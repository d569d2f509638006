#include "pipeline/gate/canary_judge.h"

#include "gtest/gtest.h"

namespace ferry::pipeline {
namespace {

ArmStats Arm(int64_t requests, int64_t errors, double p99_ms) {
  ArmStats arm;
  arm.requests = requests;
  arm.errors = errors;
  arm.p99_ms = p99_ms;
  return arm;
}

TEST(CanaryJudgeTest, WatchesUntilTheWindowPassesThenPromotes) {
  CanaryPolicy p;
  CanaryDecision d = JudgeCanary(p, Arm(900, 0, 2), Arm(100, 0, 2), 30);
  EXPECT_EQ(d.verdict, CanaryVerdict::kWatch);
  d = JudgeCanary(p, Arm(1800, 1, 2), Arm(200, 0, 2.5), 60);
  EXPECT_EQ(d.verdict, CanaryVerdict::kPromote) << d.reason;
  EXPECT_NE(d.reason.find("200 requests over 60 s"), std::string::npos) << d.reason;
}

TEST(CanaryJudgeTest, RollsBackEarlyOnErrors) {
  CanaryPolicy p;
  CanaryDecision d = JudgeCanary(p, Arm(900, 0, 2), Arm(100, 5, 2), 10);
  EXPECT_EQ(d.verdict, CanaryVerdict::kRollback);
  EXPECT_EQ(d.reason,
            "the challenger's error rate 5% (5 of 100) exceeds the champion's 0% by more than 1%");
  // Not before min_requests: a few early errors are not evidence yet.
  EXPECT_EQ(JudgeCanary(p, Arm(90, 0, 2), Arm(10, 5, 2), 10).verdict, CanaryVerdict::kWatch);
}

TEST(CanaryJudgeTest, LatencyNeedsRatioAndSlack) {
  CanaryPolicy p;
  // 3x slower but by 0.2 ms only: within the slack.
  EXPECT_EQ(JudgeCanary(p, Arm(900, 0, 0.1), Arm(100, 0, 0.3), 60).verdict,
            CanaryVerdict::kPromote);
  CanaryDecision d = JudgeCanary(p, Arm(900, 0, 2), Arm(100, 0, 4), 60);
  EXPECT_EQ(d.verdict, CanaryVerdict::kRollback);
  EXPECT_NE(d.reason.find("p99 latency 4 ms is over 1.5x the champion's 2 ms"), std::string::npos);
}

TEST(CanaryJudgeTest, QualityAndAlerts) {
  CanaryPolicy p;
  p.max_quality_drop = 0.02;
  ArmStats champion = Arm(900, 0, 2);
  champion.quality = 0.90;
  ArmStats challenger = Arm(100, 0, 2);
  challenger.quality = 0.85;
  EXPECT_EQ(JudgeCanary(p, champion, challenger, 60).verdict, CanaryVerdict::kRollback);
  challenger.quality = 0.89;
  EXPECT_EQ(JudgeCanary(p, champion, challenger, 60).verdict, CanaryVerdict::kPromote);
  challenger.alert_firing = true;
  CanaryDecision d = JudgeCanary(p, champion, challenger, 60);
  EXPECT_EQ(d.verdict, CanaryVerdict::kRollback);
  EXPECT_EQ(d.reason, "a monitoring alert fired on the challenger");
}

TEST(CanaryJudgeTest, TooLittleTrafficRollsBack) {
  CanaryPolicy p;
  CanaryDecision d = JudgeCanary(p, Arm(500, 0, 2), Arm(40, 0, 2), 60);
  EXPECT_EQ(d.verdict, CanaryVerdict::kRollback);
  EXPECT_NE(d.reason.find("only 40 requests"), std::string::npos);
}

TEST(CanaryJudgeTest, PolicyMistakes) {
  CanaryPolicy p;
  EXPECT_EQ(CheckCanaryPolicy(p), "");
  p.percent = 0;
  EXPECT_EQ(CheckCanaryPolicy(p), "canary percent must be between 1 and 100, got 0");
  p.percent = 10;
  p.max_latency_ratio = 0.5;
  EXPECT_NE(CheckCanaryPolicy(p), "");
  EXPECT_STREQ(CanaryVerdictName(CanaryVerdict::kRollback), "rollback");
}

}  // namespace
}  // namespace ferry::pipeline
