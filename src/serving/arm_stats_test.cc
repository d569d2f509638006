#include "serving/arm_stats.h"

#include <gtest/gtest.h>

namespace ferry::serving {
namespace {

TEST(BucketQuantileTest, EmptyIsZero) { EXPECT_EQ(BucketQuantile({10, 20}, {0, 0, 0}, 0.99), 0); }

TEST(BucketQuantileTest, InterpolatesInsideTheBucket) {
  // 100 observations in (10, 20]: the median sits halfway.
  EXPECT_DOUBLE_EQ(BucketQuantile({10, 20}, {0, 100, 0}, 0.5), 15);
  // 90 fast, 10 slow: p50 is in the first bucket, p99 in the second.
  EXPECT_LE(BucketQuantile({10, 20}, {90, 10, 0}, 0.5), 10);
  EXPECT_GT(BucketQuantile({10, 20}, {90, 10, 0}, 0.99), 10);
}

TEST(BucketQuantileTest, OverflowReportsTheLastBound) {
  EXPECT_EQ(BucketQuantile({10, 20}, {0, 0, 5}, 0.99), 20);
}

TEST(ArmCountersTest, CountsAndQuantilesWithinTenPercent) {
  ArmCounters arm(1234);
  for (int i = 0; i < 99; ++i) {
    arm.RecordRequest();
    arm.ObserveLatencyUs(1000);  // 1 ms
  }
  arm.RecordRequest();
  arm.RecordError();
  arm.ObserveLatencyUs(100000);  // one 100 ms outlier
  ArmSnapshot s = arm.Snapshot();
  EXPECT_EQ(s.loaded_at_ms, 1234);
  EXPECT_EQ(s.requests, 100);
  EXPECT_EQ(s.errors, 1);
  EXPECT_NEAR(s.p50_ms, 1.0, 0.1);
  EXPECT_NEAR(s.p99_ms, 1.0, 0.1);
  for (int i = 0; i < 10; ++i) arm.ObserveLatencyUs(100000);
  EXPECT_NEAR(arm.Snapshot().p99_ms, 100.0, 10.0);
}

TEST(ArmCountersTest, BoundsCoverTheRangeInOrder) {
  const auto& b = ArmCounters::Bounds();
  ASSERT_GT(b.size(), 100u);
  EXPECT_EQ(b.front(), 10);
  EXPECT_GE(b.back(), 50000000);
  for (size_t i = 1; i < b.size(); ++i) EXPECT_GT(b[i], b[i - 1]);
}

}  // namespace
}  // namespace ferry::serving
