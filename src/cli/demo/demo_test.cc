#include <gtest/gtest.h>

#include "cli/demo/demo_monitor.h"
#include "cli/demo/demo_summary.h"
#include "cli/demo/demo_traffic.h"
#include "common/json.h"

namespace ferry::cli::demo {
namespace {

JsonValue Parse(const std::string& text) {
  auto j = ParseJson(text);
  EXPECT_TRUE(j.ok()) << text;
  return j.ok() ? *j : JsonValue();
}

TEST(DemoSummaryTest, JsonHoldsTheFieldsTheTestsRead) {
  DemoSummary s;
  s.model = "recsys";
  s.first_version = "1";
  s.promoted_version = "2";
  s.drift.detected = true;
  s.drift.columns.push_back({"session", "jensenshannon", 0.61, 0.1});
  s.requests_served = 1234;
  s.requests_failed = 0;
  s.seconds = 61.26;
  s.maturity_level = 2;
  JsonValue j = Parse(SummaryJson(s));
  EXPECT_TRUE(j.Find("drift_detected")->as_bool());
  EXPECT_EQ(j.Find("promoted_version")->as_string(), "2");
  EXPECT_EQ(j.Find("requests_served")->as_int(), 1234);
  EXPECT_EQ(j.Find("requests_failed")->as_int(), 0);
  EXPECT_DOUBLE_EQ(j.Find("seconds")->as_double(), 61.3);
  EXPECT_EQ(j.Find("maturity_level")->as_int(), 2);
  const JsonValue& col = j.Find("drift")->Find("columns")->items().at(0);
  EXPECT_EQ(col.Find("stattest")->as_string(), "jensenshannon");
  EXPECT_DOUBLE_EQ(col.Find("statistic")->as_double(), 0.61);
}

TEST(DemoSummaryTest, TextSaysWhatWasNotDone) {
  DemoSummary s;
  s.model = "recsys";
  s.first_version = s.promoted_version = "1";
  s.promotion = "not run";
  const std::string text = SummaryText(s);
  EXPECT_NE(text.find("drift          not detected"), std::string::npos) << text;
  EXPECT_NE(text.find("maturity       not assessed"), std::string::npos) << text;
  EXPECT_NE(text.find("version 1 -> 1 (not run)"), std::string::npos) << text;
}

TEST(DemoTrafficTest, PoolsHoldEveryProperPrefixPerPhase) {
  SessionPool p = MakeSessionPool({{0, {"a", "b", "c"}}, {1, {"x", "y"}}, {0, {"z"}}});
  EXPECT_EQ(p.before, (std::vector<std::string>{"a", "a b"}));
  EXPECT_EQ(p.after, (std::vector<std::string>{"x"}));
}

TEST(DemoTrafficTest, RequestsAreOipJson) {
  JsonValue s = Parse(SessionsRequest({"i1 i2", "i3"}));
  const JsonValue& in = s.Find("inputs")->items().at(0);
  EXPECT_EQ(in.Find("datatype")->as_string(), "BYTES");
  EXPECT_EQ(in.Find("shape")->items().at(0).as_int(), 2);
  EXPECT_EQ(in.Find("data")->items().at(1).as_string(), "i3");
  JsonValue r = Parse(RowsRequest({{1, 2.5}, {3, 4}}));
  const JsonValue& rows = r.Find("inputs")->items().at(0);
  EXPECT_EQ(rows.Find("shape")->items().at(1).as_int(), 2);
  EXPECT_DOUBLE_EQ(rows.Find("data")->items().at(1).as_double(), 2.5);
}

TEST(DemoTrafficTest, FeatureRowsDropTheLabelAndRefuseText) {
  auto rows = FeatureRows("a,b,target\n1,2,0\r\n3,4.5,1\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (std::vector<double>{3, 4.5}));
  EXPECT_TRUE(FeatureRows("a,target\nx,1\n").empty());
  EXPECT_EQ(AnswerVersion(R"({"model_name":"m","model_version":"7","outputs":[]})"), "7");
  EXPECT_EQ(AnswerVersion("not json"), "");
}

TEST(DemoMonitorTest, DriftComesFromTheFiringAlertAndItsWindow) {
  JsonValue alerts = Parse(R"({"deployment":"recsys","alerts":{"active":["data_drift"],
    "events":[{"kind":"prediction_drift","state":"firing","last_window":9},
              {"kind":"data_drift","state":"firing","last_window":7,"message":"drift!"}]}})");
  JsonValue windows = Parse(R"({"windows":[{"index":8,"drift_share":0},
    {"index":7,"drift_share":1,"columns":[
      {"name":"session","stattest":"jensenshannon","statistic":0.6,"threshold":0.1,"drift_detected":true},
      {"name":"other","stattest":"sketch_ks","statistic":0.01,"threshold":0.2,"drift_detected":false}]}]})");
  DriftReport r = DriftFromMonitoring(alerts, windows);
  EXPECT_TRUE(r.detected);
  EXPECT_EQ(r.window, 7u);
  EXPECT_EQ(r.message, "drift!");
  EXPECT_DOUBLE_EQ(r.drift_share, 1);
  ASSERT_EQ(r.columns.size(), 1u);
  EXPECT_EQ(r.columns[0].name, "session");
  EXPECT_DOUBLE_EQ(r.columns[0].statistic, 0.6);
}

TEST(DemoMonitorTest, NoDriftWhileNoDataDriftAlertFires) {
  JsonValue resolved = Parse(R"({"alerts":{"active":[],
    "events":[{"kind":"data_drift","state":"firing","last_window":3}]}})");
  EXPECT_FALSE(DriftFromMonitoring(resolved, JsonValue()).detected);
  JsonValue other = Parse(R"({"alerts":{"active":["prediction_drift"],
    "events":[{"kind":"prediction_drift","state":"firing","last_window":3}]}})");
  EXPECT_FALSE(DriftFromMonitoring(other, JsonValue()).detected);
}

}  // namespace
}  // namespace ferry::cli::demo
