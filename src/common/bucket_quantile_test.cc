#include "common/bucket_quantile.h"

#include <gtest/gtest.h>

namespace ferry {
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

}  // namespace
}  // namespace ferry
