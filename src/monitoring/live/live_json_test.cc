// The JSON shape of live monitoring results (field names are an API: docs/MONITORING.md).

#include "monitoring/live/live_json.h"

#include <gtest/gtest.h>

#include "common/json.h"

namespace ferry::monitoring {
namespace {

JsonValue Parse(const std::string& text) {
  absl::StatusOr<JsonValue> v = ParseJson(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? *v : JsonValue();
}

std::vector<std::string> Keys(const JsonValue& v) {
  std::vector<std::string> out;
  for (const auto& [k, unused] : v.members()) out.push_back(k);
  return out;
}

WindowResult Sample() {
  WindowResult w;
  w.index = 7;
  w.start_ms = 1000;
  w.end_ms = 2000;
  w.rows = 50;
  w.empty = false;
  w.compared_with = "reference";
  LiveColumnDrift c;
  c.name = "age";
  c.column_type = "num";
  c.stattest = "sketch_ks";
  c.statistic = 0.25;
  c.threshold = 0.125;
  c.drift_detected = true;
  c.count = 50;
  w.columns.push_back(c);
  w.number_of_columns = 1;
  w.number_of_drifted_columns = 1;
  w.drift_share = 1;
  w.dataset_drift = true;
  w.quality.labelled = 10;
  w.quality.accuracy = 0.75;
  BiasReport b;
  b.positive = "1";
  SegmentBias s;
  s.segment = "A";
  s.count = 3;
  b.segments.push_back(s);
  b.gaps.push_back(BiasGap{"demographic_parity_difference", 0.3, true});
  b.gaps.push_back(BiasGap{"equal_opportunity_difference", std::nullopt, true});
  w.bias = b;
  w.bias_gaps_over = {"demographic_parity_difference"};
  return w;
}

TEST(LiveJsonTest, WindowResultFields) {
  JsonValue v = Parse(WindowResultJson(Sample()));
  EXPECT_EQ(Keys(v),
            (std::vector<std::string>{"index", "start_ms", "end_ms", "rows", "empty", "baseline",
                                      "compared_with", "dataset_drift", "drift_share",
                                      "number_of_columns", "number_of_drifted_columns", "columns",
                                      "prediction_drift_detected", "prediction_drift",
                                      "unknown_columns", "unbuffered_rows", "quality", "bias"}));
  EXPECT_EQ(v.Find("index")->as_double(), 7);
  const JsonValue& col = v.Find("columns")->items().at(0);
  EXPECT_EQ(Keys(col),
            (std::vector<std::string>{"name", "column_type", "stattest", "statistic", "threshold",
                                      "p_value", "drift_detected", "status", "count", "missing"}));
  EXPECT_TRUE(col.Find("p_value")->is_null());
  EXPECT_EQ(col.Find("statistic")->as_double(), 0.25);
  const JsonValue& q = *v.Find("quality");
  EXPECT_EQ(q.Find("task")->as_string(), "classification");
  EXPECT_EQ(q.Find("accuracy")->as_double(), 0.75);
  EXPECT_TRUE(q.Find("rmse")->is_null());
  const JsonValue& b = *v.Find("bias");
  EXPECT_EQ(b.Find("gaps")->Find("demographic_parity_difference")->as_double(), 0.3);
  EXPECT_TRUE(b.Find("gaps")->Find("equal_opportunity_difference")->is_null());
  EXPECT_EQ(b.Find("gaps_over_threshold")->items().at(0).as_string(),
            "demographic_parity_difference");
  EXPECT_EQ(b.Find("segments")->items().at(0).Find("segment")->as_string(), "A");
}

TEST(LiveJsonTest, EmptyWindowHasNullBiasAndNoNaN) {
  WindowResult w;
  w.drift_share = std::nan("");  // never produced; rendered as 0 all the same
  const std::string json = WindowResultJson(w);
  EXPECT_EQ(json.find("NaN"), std::string::npos);
  JsonValue v = Parse(json);
  EXPECT_TRUE(v.Find("bias")->is_null());
  EXPECT_TRUE(v.Find("empty")->as_bool());
}

TEST(LiveJsonTest, AlertEventFields) {
  AlertEvent e{"data_drift",
               "firing",
               "iris",
               2,
               3,
               {"x1"},
               {"sketch_ks"},
               {0.2},
               "Data drift in deployment 'iris' in windows 2-3: ..."};
  JsonValue v = Parse(AlertEventJson(e));
  EXPECT_EQ(Keys(v),
            (std::vector<std::string>{"kind", "state", "deployment", "first_window", "last_window",
                                      "columns", "stattests", "statistics", "message"}));
  EXPECT_EQ(v.Find("columns")->items().at(0).as_string(), "x1");
  EXPECT_EQ(v.Find("statistics")->items().at(0).as_double(), 0.2);
}

TEST(LiveJsonTest, StateAndLabelCounts) {
  MonitorState s;
  s.windows_closed = 3;
  s.data_drift_firing = true;
  s.labels.matched = 4;
  s.last = Sample();
  JsonValue v = Parse(MonitorStateJson("iris", s));
  EXPECT_EQ(v.Find("deployment")->as_string(), "iris");
  EXPECT_TRUE(v.Find("alerts")->Find("data_drift")->as_bool());
  EXPECT_FALSE(v.Find("alerts")->Find("bias")->as_bool());
  EXPECT_EQ(v.Find("labels")->Find("matched")->as_double(), 4);
  EXPECT_EQ(v.Find("last_window")->Find("index")->as_double(), 7);
  JsonValue c = Parse(LabelCountsJson(LabelCounts{1, 2, 3, 4, 5}));
  EXPECT_EQ(Keys(c), (std::vector<std::string>{"matched", "unknown_request_id", "duplicate", "late",
                                               "unbuffered"}));
  JsonValue ws = Parse(WindowsJson("iris", {Sample(), WindowResult{}}));
  EXPECT_EQ(ws.Find("windows")->items().size(), 2u);
}

}  // namespace
}  // namespace ferry::monitoring
