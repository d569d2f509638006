#include "cli/promotion/deployment_figures.h"

#include <gtest/gtest.h>

#include "common/strings.h"

namespace ferry::cli {
namespace {

constexpr char kBoth[] = R"({"name": "fraud",
  "primary": {"model": "fraud", "version": "1", "state": "READY", "requests": 120,
              "errors": 2, "p50_ms": 0.4, "p99_ms": 1.5},
  "challenger": {"model": "fraud", "version": "2", "state": "READY", "requests": 30,
                 "errors": 3, "p50_ms": 0.5, "p99_ms": 2.5, "mode": "canary", "percent": 20}})";

TEST(DeploymentFiguresTest, ParsesBothArms) {
  auto d = ParseDeploymentFigures(kBoth);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_TRUE(d->primary && d->challenger);
  EXPECT_EQ(d->primary->version, "1");
  EXPECT_EQ(d->primary->requests, 120);
  EXPECT_EQ(d->challenger->errors, 3);
  EXPECT_EQ(d->challenger->percent, 20);
  EXPECT_DOUBLE_EQ(d->challenger->p99_ms, 2.5);
  EXPECT_FALSE(d->challenger->quality);
}

TEST(DeploymentFiguresTest, NullArmsAndBadShapes) {
  auto none = ParseDeploymentFigures(R"({"name": "x", "primary": null, "challenger": null})");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->primary || none->challenger);
  EXPECT_EQ(std::string(ParseDeploymentFigures(R"({"primary": null})").status().message()),
            "deployment: no challenger field");
  EXPECT_EQ(
      std::string(ParseDeploymentFigures(R"({"primary": {"version": "1"}, "challenger": null})")
                      .status()
                      .message()),
      "deployment: primary.state is missing");
}

TEST(DeploymentFiguresTest, AFiringAlertMarksThePrimaryOfItsVersion) {
  const std::string arm = R"({"version": "V", "state": "READY", "requests": 1, "errors": 0,
                              "p50_ms": 0, "p99_ms": 0})";
  auto doc = [&](const char* version, bool firing) {
    std::string a = arm;
    a.replace(a.find('V'), 1, "2");
    return StrCat(R"({"primary": )", a, R"(, "challenger": null, "monitoring": {"version": ")",
                  version, R"(", "state": {"alerts": {"data_drift": )", firing, "}}}}");
  };
  EXPECT_TRUE(ParseDeploymentFigures(doc("2", true))->primary->alert_firing);
  EXPECT_FALSE(ParseDeploymentFigures(doc("2", false))->primary->alert_firing);
  EXPECT_FALSE(ParseDeploymentFigures(doc("1", true))->primary->alert_firing);  // older version
}

TEST(DeploymentFiguresTest, QualityPerArmFromTheMonitoringArms) {
  auto d =
      ParseDeploymentFigures(StrCat(std::string(kBoth).substr(0, std::string(kBoth).size() - 1),
                                    R"(, "monitoring": {"version": "1", "arms": {
           "1": {"labelled": 40, "metric": "accuracy", "value": 0.9, "quality": 0.9},
           "2": {"labelled": 35, "metric": "accuracy", "value": 0.6, "quality": 0.6},
           "7": {"labelled": 3, "metric": "accuracy", "value": 1, "quality": null}}}})"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_DOUBLE_EQ(*d->primary->quality, 0.9);
  EXPECT_DOUBLE_EQ(*d->challenger->quality, 0.6);
  // Too few labels: the server reports no quality, and none is read.
  auto few = ParseDeploymentFigures(
      StrCat(std::string(kBoth).substr(0, std::string(kBoth).size() - 1),
             R"(, "monitoring": {"arms": {"2": {"labelled": 3, "quality": null}}}})"));
  ASSERT_TRUE(few.ok()) << few.status();
  EXPECT_FALSE(few->primary->quality);
  EXPECT_FALSE(few->challenger->quality);
}

TEST(DeploymentFiguresTest, TheChampionsP99IsOverTheCanarysPeriod) {
  auto d = ParseDeploymentFigures(R"({"primary": {"version": "1", "state": "READY",
      "requests": 200, "errors": 0, "p50_ms": 1, "p99_ms": 90,
      "latency_buckets_us": [[0, 10, 100], [900, 1000, 98], [90000, 100000, 2]]},
      "challenger": null})");
  ASSERT_TRUE(d.ok()) << d.status();
  ArmFigures now = *d->primary;
  EXPECT_EQ(now.latency.size(), 3u);
  ArmFigures start = now;  // at the canary's start: 100 fast, 2 slow (a cold start)
  start.latency = {{{0, 10}, 100}, {{90000, 100000}, 2}};
  start.requests = 102;
  // Since then: 98 requests in (900, 1000] us. Their p99 is about 1 ms, not the 90 ms of the
  // champion's whole life.
  const double p99 = ChampionStats(now, start).p99_ms;
  EXPECT_GT(p99, 0.9);
  EXPECT_LE(p99, 1.0);
  EXPECT_DOUBLE_EQ(WindowP99Ms(now.latency, now.latency), 0);
  // Above the last bound (lo = hi).
  EXPECT_DOUBLE_EQ(WindowP99Ms({{{60000000, 60000000}, 5}}, {}), 60000);
  // A malformed histogram is refused.
  EXPECT_FALSE(ParseDeploymentFigures(R"({"primary": {"version": "1", "state": "READY",
      "requests": 1, "errors": 0, "p50_ms": 1, "p99_ms": 1, "latency_buckets_us": [[0, 10]]},
      "challenger": null})")
                   .ok());
}

TEST(DeploymentFiguresTest, ChampionCountsOnlyTheWindow) {
  ArmFigures start{"1", "READY", 100, 1, 0.4, 1.0, {}, false, 0, {}};
  ArmFigures now{"1", "READY", 150, 2, 0.4, 1.2, {}, false, 0, {}};
  pipeline::ArmStats s = ChampionStats(now, start);
  EXPECT_EQ(s.requests, 50);
  EXPECT_EQ(s.errors, 1);
  EXPECT_DOUBLE_EQ(s.p99_ms, 1.2);
  // The primary was swapped (a fresh arm): its figures count whole.
  ArmFigures swapped{"3", "READY", 10, 0, 0.4, 1.0, {}, false, 0, {}};
  EXPECT_EQ(ChampionStats(swapped, start).requests, 10);
  EXPECT_EQ(ChallengerStats(now).requests, 150);
}

}  // namespace
}  // namespace ferry::cli
