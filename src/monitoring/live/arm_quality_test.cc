#include "monitoring/live/arm_quality.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ferry::monitoring {
namespace {

Frame Predictions(std::vector<double> values) {
  Frame f;
  Column c;
  c.name = "predict";
  c.numeric = true;
  c.numbers = std::move(values);
  f.columns.push_back(std::move(c));
  return f;
}

Label L(const std::string& id, uint64_t row, double v) { return Label{id, row, v}; }

TEST(ArmQualityTest, ScoresEachLabelForTheVersionThatPredicted) {
  ArmQuality q(100, LiveTask::kAuto);
  q.Add("1", "a", Predictions({1, 0}), "predict");  // the champion: both right
  q.Add("2", "b", Predictions({1, 1}), "predict");  // the canary: one of two right
  auto matched = q.AddLabels({L("a", 0, 1), L("a", 1, 0), L("b", 0, 0), L("b", 1, 1)});
  EXPECT_EQ(matched["1"], 2u);
  EXPECT_EQ(matched["2"], 2u);
  auto f = q.Figures();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_TRUE(f["1"].classification);
  EXPECT_EQ(f["1"].labelled, 2u);
  EXPECT_DOUBLE_EQ(*f["1"].accuracy, 1.0);
  EXPECT_DOUBLE_EQ(*f["2"].accuracy, 0.5);
  EXPECT_DOUBLE_EQ(*f["2"].quality(), 0.5);
}

TEST(ArmQualityTest, ARowScoresOnceAndUnknownRowsDoNotMatch) {
  ArmQuality q(100, LiveTask::kAuto);
  q.Add("1", "a", Predictions({1}), "predict");
  auto matched = q.AddLabels({L("a", 0, 1), L("a", 0, 0), L("a", 1, 1), L("zz", 0, 1)});
  EXPECT_EQ(matched.size(), 1u);
  EXPECT_EQ(matched["1"], 1u);
  EXPECT_DOUBLE_EQ(*q.Figures()["1"].accuracy, 1.0);
}

TEST(ArmQualityTest, RegressionIsMinusTheRmse) {
  ArmQuality q(100, LiveTask::kAuto);
  q.Add("1", "a", Predictions({1.5, 2.5}), "predict");
  q.AddLabels({L("a", 0, 0.5), L("a", 1, 5.5)});  // errors 1 and 3
  auto f = q.Figures()["1"];
  EXPECT_FALSE(f.classification);
  EXPECT_FALSE(f.accuracy);
  EXPECT_DOUBLE_EQ(*f.rmse, std::sqrt(5.0));
  EXPECT_DOUBLE_EQ(*f.quality(), -std::sqrt(5.0));
}

TEST(ArmQualityTest, TextPredictionsAndTheOldestRowsForgotten) {
  ArmQuality q(2, LiveTask::kClassification);
  Frame f;
  Column c;
  c.name = "label";
  c.numeric = false;
  c.strings = {"cat", "dog"};
  f.columns.push_back(c);
  q.Add("1", "a", f, "predict");                 // no "predict": the first column
  q.Add("1", "b", Predictions({7}), "predict");  // pushes out a's first row
  EXPECT_EQ(q.AddLabels({Label{"a", 0, std::string("cat")}, Label{"a", 1, std::string("dog")},
                         L("b", 0, 8)})["1"],
            2u);
  auto figures = q.Figures()["1"];
  EXPECT_EQ(figures.labelled, 2u);
  EXPECT_DOUBLE_EQ(*figures.accuracy, 0.5);
}

TEST(ArmQualityTest, NoLabelsNoQuality) {
  ArmQuality q(10, LiveTask::kAuto);
  q.Add("3", "a", Predictions({1}), "predict");
  EXPECT_FALSE(q.Figures()["3"].quality());
}

}  // namespace
}  // namespace ferry::monitoring
