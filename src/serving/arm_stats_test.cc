#include "serving/arm_stats.h"

#include <gtest/gtest.h>

namespace ferry::serving {
namespace {

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
