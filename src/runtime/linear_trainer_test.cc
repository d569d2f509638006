#include "runtime/linear_trainer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "runtime/testing/linear_test_util.h"

namespace ferry::runtime {
namespace {

using testing::TrainOn;

Frame Small() {
  Frame f;
  f.columns.push_back(Column{"a", true, {1, 2, 3, 4, 5, 6}, {}});
  f.columns.push_back(Column{"b", true, {0.5, 0.1, 0.9, 0.3, 0.7, 0.2}, {}});
  f.columns.push_back(Column{"c", true, {7, 7, 7, 7, 7, 7}, {}});  // constant
  f.columns.push_back(Column{"name", false, {}, {"u", "v", "w", "x", "y", "z"}});
  f.columns.push_back(Column{"y", true, {0, 0, 1, 0, 1, 1}, {}});
  f.columns.push_back(Column{"animal", false, {}, {"cat", "dog", "cat", "dog", "dog", "cat"}});
  return f;
}

std::string ErrorOf(bool logistic, const Frame& train, std::map<std::string, std::string> params,
                    const std::string& target = "y", const Frame* test = nullptr) {
  LinearTrainer trainer(logistic);
  auto t = TrainOn(trainer, train, test, std::move(params), target);
  EXPECT_FALSE(t.result.ok());
  EXPECT_EQ(t.result.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(StatusMessage(t.result.status()));
}

TEST(LinearTrainerTest, PreciseErrorsForBadInputs) {
  Frame f = Small();
  EXPECT_EQ(ErrorOf(true, f, {{"features", "a,nope"}}),
            "feature column \"nope\" not found in the training data");
  EXPECT_EQ(ErrorOf(true, f, {{"features", "a,name"}}),
            "feature column \"name\" is text in the training data; the linear and logistic "
            "families take numeric features only");
  EXPECT_EQ(ErrorOf(true, f, {}, "label"),
            "target column \"label\" not found in the training data");
  EXPECT_EQ(ErrorOf(false, Frame{}, {}), "the training data has no rows");
  EXPECT_EQ(ErrorOf(true, f, {{"l2", "x"}}), "param \"l2\": expected a number >= 0, got \"x\"");
  EXPECT_EQ(ErrorOf(true, f, {{"max_iter", "0"}}),
            "param \"max_iter\": expected an integer in [1, 1000000], got \"0\"");
  EXPECT_EQ(ErrorOf(true, f, {{"tol", "-1"}}), "param \"tol\": expected a number > 0, got \"-1\"");
  EXPECT_EQ(ErrorOf(true, f, {{"depth", "3"}}),
            "unknown param \"depth\" (the logistic family takes l2, max_iter, tol, features)");
  EXPECT_EQ(ErrorOf(true, f, {{"features", "a,y"}}),
            "param \"features\": \"y\" is the target column");
  EXPECT_EQ(ErrorOf(false, f, {}, "animal"),
            "target column \"animal\" is text; the linear family needs a numeric target");
}

TEST(LinearTrainerTest, MissingValuesAndUnknownClasses) {
  Frame f = Small();
  f.columns[1].numbers[3] = std::nan("");
  EXPECT_EQ(ErrorOf(true, f, {}),
            "feature column \"b\": missing or non-finite value in training row 4");
  Frame g = Small();
  g.columns[4].numbers[5] = std::nan("");
  EXPECT_EQ(ErrorOf(true, g, {}),
            "target column \"y\": missing or non-finite value in training row 6");
  Frame one = Small();
  one.columns[4].numbers = {1, 1, 1, 1, 1, 1};
  EXPECT_EQ(ErrorOf(true, one, {}),
            "target column \"y\" has 1 distinct value(s) in the training data; classification "
            "needs at least 2");
  Frame test = Small();
  test.columns[4].numbers[2] = 2;
  EXPECT_EQ(ErrorOf(true, Small(), {}, "y", &test),
            "target column \"y\": value \"2\" is not a training class in test row 3");
}

TEST(LinearTrainerTest, ConstantFeatureGetsZeroCoefficientNotNaN) {
  Frame f = Small();
  for (bool logistic : {false, true}) {
    for (const char* l2 : {"1", "0"}) {
      if (logistic && std::string(l2) == "0") continue;  // separable data diverges without L2
      LinearTrainer trainer(logistic);
      auto t = TrainOn(trainer, f, &f, {{"features", "a,b,c"}, {"l2", l2}}, "y");
      ASSERT_TRUE(t.result.ok()) << t.result.status();
      const LinearModel& m = trainer.model();
      EXPECT_EQ(m.scale[2], 1.0);
      EXPECT_EQ(m.mean[2], 7.0);
      EXPECT_EQ(m.coef[2], 0.0);
      for (double v : m.coef) EXPECT_TRUE(std::isfinite(v));
      for (const auto& [name, value] : t.result->metrics) EXPECT_TRUE(std::isfinite(value)) << name;
    }
  }
}

TEST(LinearTrainerTest, DefaultFeaturesAndTextClasses) {
  Frame f = Small();
  LinearTrainer trainer(true);
  auto t = TrainOn(trainer, f, nullptr, {}, "animal");
  ASSERT_TRUE(t.result.ok()) << t.result.status();
  // Every numeric column but the target; the text column "name" is skipped.
  EXPECT_EQ(trainer.model().features, (std::vector<std::string>{"a", "b", "c", "y"}));
  EXPECT_EQ(t.result->params.at("features"), "a,b,c,y");
  EXPECT_EQ(trainer.model().classes, (std::vector<std::string>{"cat", "dog"}));
  EXPECT_FALSE(trainer.model().integer_classes);
  EXPECT_EQ(t.result->schema.outputs[0].datatype, DataType::kBytes);
  EXPECT_EQ(t.result->schema.outputs[1].columns, (std::vector<std::string>{"cat", "dog"}));
  EXPECT_EQ(t.result->metrics.count("accuracy"), 0u);  // no test rows
  EXPECT_EQ(t.result->metrics.count("train_accuracy"), 1u);
}

TEST(LinearTrainerTest, CollinearFeaturesWithoutPenalty) {
  Frame f = Small();
  f.columns.push_back(Column{"a2", true, {2, 4, 6, 8, 10, 12}, {}});
  EXPECT_EQ(ErrorOf(false, f, {{"features", "a,a2"}, {"l2", "0"}}),
            "the features are collinear, so the least-squares problem has no unique solution; "
            "set param \"l2\" > 0 or drop features");
}

}  // namespace
}  // namespace ferry::runtime
