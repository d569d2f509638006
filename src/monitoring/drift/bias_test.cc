#include "monitoring/drift/bias.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "monitoring/drift/bias_format.h"
#include "monitoring/drift/testing/frames.h"

namespace ferry::monitoring {
namespace {

using testing::MakeFrame;
using testing::NumColumn;
using testing::TextColumn;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::optional<double> Gap(const BiasReport& r, const std::string& name) {
  for (const BiasGap& g : r.gaps) {
    if (g.name == name) return g.value;
  }
  ADD_FAILURE() << "no gap " << name;
  return std::nullopt;
}

// Worked by hand. A: pred 1,1,0,0 label 1,0,1,0 -> rate 1/2, accuracy 2/4, recall 1/2.
// B: pred 0,0,0,1 label 1,1,0,0 -> rate 1/4, accuracy 1/4, recall 0/2.
Frame Classification() {
  return MakeFrame({TextColumn("g", {"A", "A", "A", "A", "B", "B", "B", "B", "", "B"}),
                    NumColumn("p", {1, 1, 0, 0, 0, 0, 0, 1, 1, kNaN}),
                    NumColumn("y", {1, 0, 1, 0, 1, 1, 0, 0, kNaN, 1})});
}

TEST(BiasTest, ClassificationByHand) {
  absl::StatusOr<BiasReport> r = ComputeBias(Classification(), {"g", "p", "y", ""});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->classification);
  EXPECT_EQ(r->positive, "1");
  EXPECT_EQ(r->dropped_rows, 1u);
  ASSERT_EQ(r->segments.size(), 3u);
  EXPECT_EQ(r->segments[0].segment, "(missing)");
  EXPECT_EQ(r->segments[0].count, 1u);
  EXPECT_EQ(r->segments[0].labelled, 0u);
  EXPECT_FALSE(r->segments[0].accuracy.has_value());
  const SegmentBias& a = r->segments[1];
  const SegmentBias& b = r->segments[2];
  EXPECT_EQ(a.segment, "A");
  EXPECT_EQ(a.positive_rate, 0.5);
  EXPECT_EQ(*a.accuracy, 0.5);
  EXPECT_EQ(*a.recall, 0.5);
  EXPECT_EQ(b.count, 4u);
  EXPECT_EQ(b.positive_rate, 0.25);
  EXPECT_EQ(*b.accuracy, 0.25);
  EXPECT_EQ(*b.recall, 0.0);
  // The "(missing)" segment has rate 1: max 1, min 0.25.
  EXPECT_EQ(*Gap(*r, "demographic_parity_difference"), 0.75);
  EXPECT_EQ(*Gap(*r, "demographic_parity_ratio"), 0.25);
  EXPECT_EQ(*Gap(*r, "equal_opportunity_difference"), 0.5);
  EXPECT_EQ(*Gap(*r, "accuracy_difference"), 0.25);
  EXPECT_EQ(GapsOver(*r, 0.5), (std::vector<std::string>{"demographic_parity_difference"}));
  EXPECT_TRUE(GapsOver(*r, 0.75).empty());  // strictly above
}

TEST(BiasTest, TextClassesNeedPositive) {
  Frame f = MakeFrame({TextColumn("g", {"A", "B"}), TextColumn("p", {"yes", "no"}),
                       TextColumn("y", {"yes", "yes"})});
  absl::StatusOr<BiasReport> r = ComputeBias(f, {"g", "p", "y", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--positive"), std::string::npos);
  r = ComputeBias(f, {"g", "p", "y", "yes"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->segments[0].positive_rate, 1.0);
  EXPECT_EQ(r->segments[1].positive_rate, 0.0);
  EXPECT_EQ(*r->segments[1].recall, 0.0);
  EXPECT_EQ(*Gap(*r, "demographic_parity_ratio"), 0.0);
}

TEST(BiasTest, RatioOfAllZeroRatesIsOne) {
  Frame f = MakeFrame({TextColumn("g", {"A", "B"}), NumColumn("p", {0, 0})});
  absl::StatusOr<BiasReport> r = ComputeBias(f, {"g", "p", "", ""});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*Gap(*r, "demographic_parity_ratio"), 1.0);
  EXPECT_EQ(r->gaps.size(), 2u);  // no label: no quality gaps
}

// X: pred 1,2,3 label 1,2,5 -> mean 2, RMSE sqrt(4/3), MAE 2/3. Y: pred 10 label 7 -> mean
// 10, RMSE 3, MAE 3.
TEST(BiasTest, RegressionByHand) {
  Frame f = MakeFrame({NumColumn("g", {1, 1, 1, 2}), NumColumn("p", {1, 2, 3.5, 10}),
                       NumColumn("y", {1, 2, 5, 7})});
  f.columns[1].numbers[2] = 3;
  absl::StatusOr<BiasReport> r = ComputeBias(f, {"g", "p", "y", ""});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->classification);
  EXPECT_EQ(r->segments[0].segment, "1");
  EXPECT_EQ(r->segments[0].prediction_mean, 2.0);
  EXPECT_NEAR(*r->segments[0].rmse, std::sqrt(4.0 / 3), 1e-12);
  EXPECT_NEAR(*r->segments[0].mae, 2.0 / 3, 1e-12);
  EXPECT_EQ(*r->segments[1].rmse, 3.0);
  EXPECT_EQ(*Gap(*r, "prediction_mean_difference"), 8.0);
  EXPECT_NEAR(*Gap(*r, "rmse_difference"), 3 - std::sqrt(4.0 / 3), 1e-12);
  EXPECT_NEAR(*Gap(*r, "mae_difference"), 3 - 2.0 / 3, 1e-12);
}

TEST(BiasTest, Errors) {
  Frame f = MakeFrame({TextColumn("g", {"A"}), NumColumn("p", {kNaN}), TextColumn("t", {"x"})});
  EXPECT_EQ(ComputeBias(f, {"nope", "p", "", ""}).status().message(),
            "segment column 'nope' is not in the data");
  EXPECT_EQ(ComputeBias(f, {"g", "p", "", ""}).status().message(),
            "prediction column 'p' has no values");
  f.columns[1].numbers[0] = 2.5;
  EXPECT_NE(ComputeBias(f, {"g", "p", "t", ""}).status().message().find("holds text"),
            std::string::npos);
}

TEST(BiasFormatTest, JsonAndHtml) {
  absl::StatusOr<BiasReport> r = ComputeBias(Classification(), {"g", "p", "y", ""});
  ASSERT_TRUE(r.ok());
  std::string json = BiasToJson(*r, "g", 0.5);
  EXPECT_NE(json.find("\"task\":\"classification\""), std::string::npos);
  EXPECT_NE(json.find("{\"segment\":\"A\",\"count\":4,\"labelled\":4,\"positive_rate\":0.5,"
                      "\"accuracy\":0.5,\"recall\":0.5}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"gaps_over_threshold\":[\"demographic_parity_difference\"]"),
            std::string::npos);
  EXPECT_NE(json.find("\"recall\":null"), std::string::npos);
  Frame hostile = Classification();
  hostile.columns[0].strings[0] = "<script>alert(1)</script>";
  r = ComputeBias(hostile, {"g", "p", "y", ""});
  ASSERT_TRUE(r.ok());
  std::string html = BiasToHtml(*r, "<g>", std::nullopt);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("Bias by &lt;g&gt;"), std::string::npos);
}

}  // namespace
}  // namespace ferry::monitoring
