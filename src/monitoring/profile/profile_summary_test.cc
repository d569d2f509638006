#include "monitoring/profile/profile_summary.h"

#include <gtest/gtest.h>

#include <cmath>

#include "monitoring/profile/dataset_profile.h"

namespace ferry::monitoring {
namespace {

TEST(ProfileSummaryTest, NumericAndTextColumns) {
  Frame f;
  Column x{"x", true, {}, {}};
  for (int i = 1; i <= 100; ++i) x.numbers.push_back(i);
  x.numbers.push_back(NAN);
  f.columns.push_back(x);
  f.columns.push_back(Column{"s", false, {}, std::vector<std::string>(101, "a")});
  f.columns.back().strings[0] = "";
  const DatasetProfile p = DatasetProfile::FromFrame(f);
  const ColumnSummary sx = Summarize("x", *p.Find("x"), 3);
  EXPECT_EQ(sx.count, 101u);
  EXPECT_EQ(sx.missing, 1u);
  EXPECT_EQ(*sx.min, 1.0);
  EXPECT_EQ(*sx.max, 100.0);
  EXPECT_DOUBLE_EQ(*sx.mean, 50.5);
  ASSERT_EQ(sx.quantiles.size(), 7u);
  EXPECT_EQ(sx.quantiles[0], 1.0);   // p1
  EXPECT_EQ(sx.quantiles[3], 50.0);  // p50
  EXPECT_EQ(sx.quantiles[6], 99.0);  // p99
  EXPECT_NEAR(sx.distinct, 100.0, 2.0);
  EXPECT_LE(sx.distinct_lower, sx.distinct);
  EXPECT_GE(sx.distinct_upper, sx.distinct);
  EXPECT_LE(sx.distinct_upper, 100.0);  // clamped to the present values
  EXPECT_EQ(sx.top_items.size(), 3u);   // integral values are items too
  const ColumnSummary ss = Summarize("s", *p.Find("s"), 3);
  EXPECT_FALSE(ss.mean.has_value());
  EXPECT_TRUE(ss.quantiles.empty());
  EXPECT_NEAR(ss.distinct, 1.0, 0.01);
  EXPECT_EQ(ss.distinct_lower, 1.0);
  ASSERT_EQ(ss.top_items.size(), 1u);
  EXPECT_EQ(ss.top_items[0].estimate, 100u);
}

TEST(ProfileSummaryTest, IntegralItemsPrintInDecimal) {
  Frame f;
  f.columns.push_back(Column{"n", true, {-7, -7, -7, 4e15, 4e15, 3.5, 0}, {}});
  const DatasetProfile p = DatasetProfile::FromFrame(f);
  EXPECT_EQ(p.Find("n")->items().stream_weight(), 6u);  // 3.5 is not integral
  const ColumnSummary s = Summarize("n", *p.Find("n"), 5);
  ASSERT_EQ(s.top_items.size(), 3u);
  EXPECT_EQ(s.top_items[0].item, "-7");
  EXPECT_EQ(s.top_items[0].estimate, 3u);
  EXPECT_EQ(s.top_items[1].item, "4000000000000000");
  EXPECT_EQ(s.top_items[2].item, "0");
  EXPECT_EQ(IntegralItemText(IntegralItemKey(-123456789)), "-123456789");
}

TEST(ProfileSummaryTest, AllMissingColumn) {
  Frame f;
  f.columns.push_back(Column{"m", true, std::vector<double>(5, NAN), {}});
  const ColumnSummary s = Summarize("m", *DatasetProfile::FromFrame(f).Find("m"), 5);
  EXPECT_EQ(s.missing, 5u);
  EXPECT_FALSE(s.min.has_value());
  EXPECT_EQ(s.distinct, 0.0);
  EXPECT_EQ(s.distinct_upper, 0.0);
  EXPECT_TRUE(s.top_items.empty());
}

}  // namespace
}  // namespace ferry::monitoring
