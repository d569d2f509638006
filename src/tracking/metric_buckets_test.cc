#include "tracking/metric_buckets.h"

#include <gtest/gtest.h>

#include "tracking/testing/tracking_fixture.h"

namespace ferry::tracking {
namespace {

std::vector<std::pair<double, double>> Ramp(int n) {
  std::vector<std::pair<double, double>> p;
  for (int i = 0; i < n; ++i) p.emplace_back(i, i % 7);
  return p;
}

TEST(BucketPoints, FewPointsComeBackExactly) {
  const auto points = Ramp(10);
  MetricBuckets b = BucketPoints(points, 0, 9, 50);
  EXPECT_EQ(b.points, 10);
  ASSERT_EQ(b.x.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(b.x[i], i);
    EXPECT_EQ(b.min[i], i % 7);
    EXPECT_EQ(b.max[i], i % 7);
    EXPECT_EQ(b.last[i], i % 7);
    EXPECT_EQ(b.count[i], 1);
  }
}

TEST(BucketPoints, EachBucketKeepsMinMaxLastAndCount) {
  // 100 points over [0, 99] in 10 buckets of width 9.9: x 0-9 in the first, and so on.
  MetricBuckets b = BucketPoints(Ramp(100), 0, 99, 10);
  ASSERT_EQ(b.x.size(), 10u);
  EXPECT_EQ(b.count[0], 10);
  EXPECT_EQ(b.x[0], 9);
  EXPECT_EQ(b.min[0], 0);
  EXPECT_EQ(b.max[0], 6);
  EXPECT_EQ(b.last[0], 9 % 7);
  int64_t total = 0;
  for (int64_t c : b.count) total += c;
  EXPECT_EQ(total, 100);
}

TEST(BucketPoints, OneSpikeInAMillionPointsShowsAtEveryZoom) {
  std::vector<std::pair<double, double>> points;
  for (int i = 0; i < 1000000; ++i) points.emplace_back(i, 1.0);
  points[654321].second = 1e6;
  for (auto [lo, hi] : {std::pair(0.0, 999999.0), std::pair(600000.0, 700000.0),
                        std::pair(654000.0, 655000.0), std::pair(654321.0, 654321.0)}) {
    MetricBuckets b = BucketPoints(points, lo, hi, 1500);
    EXPECT_LE(b.x.size(), 1500u);
    EXPECT_EQ(*std::max_element(b.max.begin(), b.max.end()), 1e6) << lo << ".." << hi;
    if (hi > lo) {
      EXPECT_EQ(*std::min_element(b.min.begin(), b.min.end()), 1.0) << lo << ".." << hi;
    }
  }
  // Outside the spike's range nothing of it shows.
  MetricBuckets away = BucketPoints(points, 0, 600000, 1500);
  EXPECT_EQ(*std::max_element(away.max.begin(), away.max.end()), 1.0);
}

TEST(BucketPoints, NanNeverHidesANumber) {
  std::vector<std::pair<double, double>> p = {{0, NAN}, {1, 5}, {2, NAN}, {3, -5}};
  MetricBuckets b = BucketPoints(p, 0, 3, 1);
  ASSERT_EQ(b.x.size(), 1u);
  EXPECT_EQ(b.min[0], -5);
  EXPECT_EQ(b.max[0], 5);
}

TEST(JoinByStep, PlacesEachPointAtTheOtherMetricsLastValueAtItsStep) {
  // x: steps 0, 1 (logged twice: the later value counts), 3 (NaN); y: steps 0-3.
  std::vector<Metric> x = {
      {"lr", 0.5, 1, 0}, {"lr", 0.1, 2, 1}, {"lr", 0.3, 3, 1}, {"lr", NAN, 4, 3}};
  std::vector<Metric> y = {
      {"loss", 9, 1, 0}, {"loss", 8, 2, 1}, {"loss", 7, 3, 2}, {"loss", 6, 4, 3}};
  auto points = JoinByStep(x, y);
  // Step 2 has no x and step 3 a NaN x: left out. Sorted by x.
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0], std::pair(0.3, 8.0));
  EXPECT_EQ(points[1], std::pair(0.5, 9.0));
}

class BucketHistoryTest : public testing::TrackingFixture {
 protected:
  std::string RunWithSteps(int steps, double scale) {
    auto run = service_->CreateRun({});
    EXPECT_TRUE(run.ok());
    std::vector<Metric> metrics;
    for (int s = 0; s < steps; ++s) metrics.push_back({"loss", scale * s, 1000 + s, s});
    EXPECT_TRUE(service_->LogBatch(run->info.run_id, metrics, {}, {}).ok());
    return run->info.run_id;
  }
};

TEST_F(BucketHistoryTest, RunsShareOneRangeByStepOrTime) {
  const std::string a = RunWithSteps(500, 1), b = RunWithSteps(1000, 2);
  BucketQuery q;
  q.run_ids = {a, b};
  q.metric_key = "loss";
  q.buckets = 100;
  auto r = BucketMetricHistory(*service_, q);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].points, 500);
  EXPECT_EQ((*r)[1].points, 1000);
  EXPECT_EQ((*r)[1].max.back(), 2 * 999);
  EXPECT_LE((*r)[0].x.size(), 51u);  // half of the shared range [0, 999]
  q.by_time = true;
  q.start = 1100;
  q.end = 1149;
  r = BucketMetricHistory(*service_, q);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].points, 50);  // exact: 50 points in 100 buckets
  EXPECT_EQ((*r)[0].x.front(), 1100);
}

TEST_F(BucketHistoryTest, XByAnotherMetricKeepsASpikeAmong100000Points) {
  auto run = service_->CreateRun({});
  ASSERT_TRUE(run.ok());
  // x: "tokens" = 10 * step, logged for every step; y: "loss" = 1 with a spike at step 77,777.
  std::vector<Metric> metrics;
  for (int s = 0; s < 100000; ++s) {
    metrics.push_back({"tokens", 10.0 * s, 1000 + s, s});
    metrics.push_back({"loss", s == 77777 ? 1e6 : 1.0, 1000 + s, s});
    if (metrics.size() >= 1000) {
      ASSERT_TRUE(service_->LogBatch(run->info.run_id, metrics, {}, {}).ok());
      metrics.clear();
    }
  }
  BucketQuery q;
  q.run_ids = {run->info.run_id};
  q.metric_key = "loss";
  q.x_metric = "tokens";
  q.buckets = 1000;
  auto r = BucketMetricHistory(*service_, q);
  ASSERT_TRUE(r.ok()) << r.status();
  const MetricBuckets& b = (*r)[0];
  EXPECT_EQ(b.points, 100000);
  EXPECT_LE(b.x.size(), 1000u);
  EXPECT_EQ(b.x.back(), 999990);
  EXPECT_EQ(*std::max_element(b.max.begin(), b.max.end()), 1e6);
  // Zoomed in tokens' units: every point as it is, at 10 x its step.
  q.start = 777700;
  q.end = 777800;
  r = BucketMetricHistory(*service_, q);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ((*r)[0].points, 11);
  EXPECT_EQ((*r)[0].x[7], 777770);
  EXPECT_EQ((*r)[0].last[7], 1e6);
}

TEST_F(BucketHistoryTest, AfterStepAnswersOnlyTheNewPoints) {
  const std::string a = RunWithSteps(500, 1), b = RunWithSteps(10, 1);
  BucketQuery q;
  q.run_ids = {a, b};
  q.metric_key = "loss";
  q.buckets = 100;
  auto all = BucketMetricHistory(*service_, q);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ((*all)[0].last_step, 499);
  EXPECT_EQ((*all)[1].last_step, 9);
  // Few new points come back as they are: steps 495-499 of a, none of b (its last step is 9).
  q.after_step = 494;
  auto few = BucketMetricHistory(*service_, q);
  ASSERT_TRUE(few.ok()) << few.status();
  EXPECT_EQ((*few)[0].points, 5);
  EXPECT_EQ((*few)[0].x, (std::vector<double>{495, 496, 497, 498, 499}));
  EXPECT_EQ((*few)[0].last_step, 499);
  EXPECT_EQ((*few)[1].points, 0);
  EXPECT_FALSE((*few)[1].last_step.has_value());
  // Many are bucketed over their own range, keeping the extremes: steps 100-499 in 100.
  q.after_step = 99;
  auto many = BucketMetricHistory(*service_, q);
  ASSERT_TRUE(many.ok()) << many.status();
  EXPECT_EQ((*many)[0].points, 400);
  EXPECT_EQ((*many)[0].x.size(), 100u);
  EXPECT_EQ((*many)[0].min.front(), 100);
  EXPECT_EQ((*many)[0].max.back(), 499);
  // By time: the new points' timestamps.
  q.after_step = 497;
  q.by_time = true;
  auto timed = BucketMetricHistory(*service_, q);
  ASSERT_TRUE(timed.ok()) << timed.status();
  EXPECT_EQ((*timed)[0].x, (std::vector<double>{1498, 1499}));
  EXPECT_TRUE((*timed)[0].time.empty());  // not asked for
}

TEST_F(BucketHistoryTest, WithTimeGivesEachBucketsLastTimestamp) {
  const std::string a = RunWithSteps(500, 1);  // step s at 1000 + s
  BucketQuery q;
  q.run_ids = {a};
  q.metric_key = "loss";
  q.buckets = 10;
  q.with_time = true;
  auto r = BucketMetricHistory(*service_, q);
  ASSERT_TRUE(r.ok()) << r.status();
  const MetricBuckets& b = (*r)[0];
  ASSERT_EQ(b.time.size(), b.x.size());
  for (size_t i = 0; i < b.x.size(); ++i) EXPECT_EQ(b.time[i], 1000 + b.x[i]);
  // A step logged again later: its bucket's time is the later point's.
  ASSERT_TRUE(service_->LogBatch(a, {{"loss", 7, 9000, 499}}, {}, {}).ok());
  r = BucketMetricHistory(*service_, q);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].time.back(), 9000);
  EXPECT_EQ((*r)[0].last.back(), 7);
  q.by_time = true;
  r = BucketMetricHistory(*service_, q);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].time.back(), 9000);
  q.by_time = false;
  q.x_metric = "loss";
  EXPECT_EQ(BucketMetricHistory(*service_, q).status().message(),
            "metric buckets: with_time goes with x=step or x=time");
}

TEST_F(BucketHistoryTest, BadQueriesNameTheParameter) {
  const std::string a = RunWithSteps(3, 1);
  auto error = [&](std::vector<std::string> runs, std::string key, int buckets = 10,
                   std::optional<double> start = {}, std::optional<double> end = {}) {
    BucketQuery q;
    q.run_ids = std::move(runs);
    q.metric_key = std::move(key);
    q.buckets = buckets;
    q.start = start;
    q.end = end;
    return BucketMetricHistory(*service_, q).status();
  };
  EXPECT_EQ(error({}, "loss").message(), "metric buckets: give at least one run_id");
  EXPECT_EQ(error({a}, "").message(), "metric buckets: give a metric_key");
  EXPECT_EQ(error({a}, "loss", 0).message(), "metric buckets: buckets must be between 1 and 10000");
  EXPECT_EQ(error({a}, "loss", 10, 5).message(),
            "metric buckets: give both start and end, or neither");
  EXPECT_EQ(error({a}, "loss", 10, 5, 4).message(), "metric buckets: start must not be after end");
  BucketQuery zoomed;
  zoomed.run_ids = {a};
  zoomed.metric_key = "loss";
  zoomed.start = 0;
  zoomed.end = 2;
  zoomed.after_step = 1;
  EXPECT_EQ(BucketMetricHistory(*service_, zoomed).status().message(),
            "metric buckets: after_step goes without start and end");
  EXPECT_EQ(error(std::vector<std::string>(1001, a), "loss").message(),
            "metric buckets: at most 1000 run_ids, got 1001");
  EXPECT_TRUE(absl::IsInvalidArgument(error({a}, "loss", 0)));
  BucketQuery both;
  both.run_ids = {a};
  both.metric_key = "loss";
  both.by_time = true;
  both.x_metric = "lr";
  EXPECT_EQ(BucketMetricHistory(*service_, both).status().message(),
            "metric buckets: x is either the time or a metric");
  EXPECT_TRUE(absl::IsNotFound(error({"0123456789abcdef0123456789abcdef"}, "loss")));
}

}  // namespace
}  // namespace ferry::tracking
