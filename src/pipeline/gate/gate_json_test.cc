#include "pipeline/gate/gate_json.h"

#include <gtest/gtest.h>

#include "common/json.h"

namespace ferry::pipeline {
namespace {

TEST(ParseThresholdsTest, ReadsEveryField) {
  auto t = ParseThresholds(R"({"thresholds": [
      {"metric": "accuracy", "lower_bound": 0.8, "absolute_change": -0.01},
      {"metric": "rmse", "upper_bound": 5, "relative_change": 0.1, "direction": "lower"}]})");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].metric, "accuracy");
  EXPECT_EQ((*t)[0].lower_bound, 0.8);
  EXPECT_FALSE((*t)[0].upper_bound);
  EXPECT_EQ((*t)[0].absolute_change, -0.01);
  EXPECT_EQ((*t)[0].direction, Direction::kHigherIsBetter);
  EXPECT_EQ((*t)[1].upper_bound, 5);
  EXPECT_EQ((*t)[1].relative_change, 0.1);
  EXPECT_EQ((*t)[1].direction, Direction::kLowerIsBetter);
  EXPECT_TRUE(ParseThresholds(R"([{"metric": "a", "lower_bound": 1}])").ok());  // bare array
}

TEST(ParseThresholdsTest, ErrorsNameTheField) {
  auto bad_direction = ParseThresholds(R"({"thresholds": [{"metric": "a", "lower_bound": 1},
                                         {"metric": "b", "lower_bound": 1, "direction": "up"}]})");
  EXPECT_EQ(std::string(bad_direction.status().message()),
            "thresholds[1].direction: expected \"higher\" or \"lower\", got \"up\"");
  EXPECT_EQ(
      std::string(ParseThresholds(R"([{"metric": "a", "lower_bound": "x"}])").status().message()),
      "thresholds[0].lower_bound: expected a number, got str");
  EXPECT_EQ(std::string(ParseThresholds(R"([{"lower_bound": 1}])").status().message()),
            "thresholds[0].metric: missing");
  EXPECT_NE(ParseThresholds(R"([{"metric": "a", "lower": 1}])")
                .status()
                .message()
                .find("thresholds[0].lower: unknown field"),
            std::string::npos);
  EXPECT_NE(ParseThresholds(R"([{"metric": "a"}])").status().message().find("no bound"),
            std::string::npos);
  EXPECT_FALSE(ParseThresholds("[]").ok());
  EXPECT_FALSE(ParseThresholds("{\"x\": 1}").ok());
  EXPECT_FALSE(ParseThresholds("not json").ok());
}

TEST(ParseMetricsTest, FlatOrWrapped) {
  auto flat = ParseMetrics(R"({"accuracy": 0.9, "n": 3})");
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(flat->at("accuracy"), 0.9);
  auto wrapped = ParseMetrics(R"({"metrics": {"rmse": 2}})");
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ(wrapped->at("rmse"), 2);
  EXPECT_EQ(std::string(ParseMetrics(R"({"a": "x"})").status().message()),
            "metrics.a: expected a number, got str");
}

TEST(BlessingJsonTest, RecordsVerdictSubjectsAndChecks) {
  std::vector<MetricThreshold> t = {
      {"accuracy", 0.8, std::nullopt, 0.0, std::nullopt, Direction::kHigherIsBetter}};
  GateResult first = EvaluateGate(t, {{"accuracy", 0.9}}, std::nullopt);
  auto doc = ParseJson(BlessingJson(first, {"m", "1", "r1"}, std::nullopt, "champion"));
  ASSERT_TRUE(doc.ok());
  EXPECT_TRUE(doc->Find("passed")->as_bool());
  EXPECT_TRUE(doc->Find("baseline")->is_null());
  EXPECT_EQ(doc->Find("candidate")->Find("version")->as_string(), "1");
  const auto& checks = doc->Find("checks")->items();
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].Find("status")->as_string(), "passed");
  EXPECT_EQ(checks[1].Find("status")->as_string(), "skipped");  // no baseline

  GateResult worse = EvaluateGate(t, {{"accuracy", 0.85}}, Metrics{{"accuracy", 0.9}});
  auto doc2 =
      ParseJson(BlessingJson(worse, {"m", "2", ""}, BlessingSubject{"m", "1", "r1"}, "champion"));
  ASSERT_TRUE(doc2.ok());
  EXPECT_FALSE(doc2->Find("passed")->as_bool());
  EXPECT_EQ(doc2->Find("checks")->items()[1].Find("status")->as_string(), "failed");
  EXPECT_EQ(doc2->Find("baseline")->Find("version")->as_string(), "1");
}

TEST(FormatCheckTest, OneLinePerOutcome) {
  std::vector<MetricThreshold> t = {
      {"accuracy", 0.8, std::nullopt, 0.0, std::nullopt, Direction::kHigherIsBetter}};
  GateResult r = EvaluateGate(t, {{"accuracy", 0.9}}, std::nullopt);
  EXPECT_EQ(FormatCheck(r.checks[0]), "PASS  accuracy lower_bound: 0.9 >= 0.8");
  EXPECT_EQ(FormatCheck(r.checks[1]).rfind("SKIP  accuracy absolute_change: ", 0), 0u);
  GateResult low = EvaluateGate(t, {{"accuracy", 0.7}}, std::nullopt);
  EXPECT_EQ(FormatCheck(low.checks[0]).rfind("FAIL  accuracy lower_bound: ", 0), 0u);
}

}  // namespace
}  // namespace ferry::pipeline
