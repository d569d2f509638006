// The history encoding: windows and alerts round-trip through one line each, a replay keeps
// the latest record per window within the bounds, and damage (a torn last line, a line that is
// not a record) is skipped and counted, never fatal.

#include "monitoring/live/history_codec.h"

#include <gtest/gtest.h>

#include "monitoring/live/live_json.h"

namespace ferry::monitoring {
namespace {

WindowResult RichWindow(uint64_t index) {
  WindowResult w;
  w.index = index;
  w.start_ms = 1700000000000 + static_cast<int64_t>(index);
  w.end_ms = w.start_ms + 60000;
  w.rows = 200;
  w.empty = false;
  w.compared_with = "reference";
  LiveColumnDrift c;
  c.name = "x1";
  c.column_type = "num";
  c.stattest = "sketch_ks";
  c.statistic = 0.3125;
  c.threshold = 0.1234567890123;
  c.drift_detected = true;
  c.count = 200;
  c.missing = 3;
  w.columns = {c};
  c.name = "city";
  c.status = "no_reference_values";
  c.drift_detected = false;
  w.columns.push_back(c);
  w.prediction_drift = {w.columns[0]};
  w.number_of_columns = 1;
  w.number_of_drifted_columns = 1;
  w.drift_share = 1;
  w.dataset_drift = true;
  w.prediction_drift_detected = true;
  w.unknown_columns = 2;
  w.quality.labelled = 150;
  w.quality.accuracy = 0.875;
  w.quality.roc_auc = 0.93;
  w.quality.baseline = 0.9;
  BiasReport b;
  b.positive = "1";
  SegmentBias s;
  s.segment = "north";
  s.count = 120;
  s.labelled = 100;
  s.positive_rate = 0.25;
  s.accuracy = 0.8;
  b.segments = {s};
  s.segment = "south \"quoted\"";
  b.segments.push_back(s);
  b.gaps = {{"demographic_parity_difference", 0.5, true}, {"demographic_parity_ratio", {}, false}};
  w.bias = b;
  w.bias_gaps_over = {"demographic_parity_difference"};
  return w;
}

AlertEvent Alert(const std::string& state, uint64_t first, uint64_t last) {
  AlertEvent a;
  a.kind = "data_drift";
  a.state = state;
  a.deployment = "churn";
  a.first_window = first;
  a.last_window = last;
  a.columns = {"x1"};
  a.stattests = {"sketch_ks"};
  a.statistics = {0.31};
  a.message = "Data drift in deployment 'churn' in windows 3-4: 1 of 2 input columns drifted.";
  return a;
}

TEST(HistoryCodecTest, AWindowRoundTripsThroughOneLine) {
  const WindowResult w = RichWindow(7);
  const std::string line = EncodeHistoryWindow("3", w);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  absl::StatusOr<HistoryRecord> r = DecodeHistoryRecord(line);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->is_window);
  EXPECT_EQ(r->version, "3");
  EXPECT_EQ(WindowResultJson(r->window), WindowResultJson(w));
  ASSERT_TRUE(r->window.bias);
  EXPECT_TRUE(r->window.bias->gaps[0].is_difference);
  EXPECT_FALSE(r->window.bias->gaps[1].is_difference);
  EXPECT_EQ(r->window.bias->segments[1].segment, "south \"quoted\"");
}

TEST(HistoryCodecTest, AnAlertRoundTripsThroughOneLine) {
  const AlertEvent a = Alert("firing", 3, 4);
  absl::StatusOr<HistoryRecord> r = DecodeHistoryRecord(EncodeHistoryAlert("3", a));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->is_window);
  EXPECT_EQ(AlertEventJson(r->alert), AlertEventJson(a));
}

TEST(HistoryCodecTest, DecodingErrorsNameTheField) {
  std::string line = EncodeHistoryWindow("1", RichWindow(1));
  line.replace(line.find("\"rows\":200"), 10, "\"rows\":\"x\"");
  absl::StatusOr<HistoryRecord> r = DecodeHistoryRecord(line);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("record.window.rows"), std::string::npos) << r.status();
  EXPECT_FALSE(DecodeHistoryRecord(R"({"v":2,"version":"1","alert":{}})").ok());
  EXPECT_FALSE(DecodeHistoryRecord(R"({"v":1,"version":"1"})").ok());
  EXPECT_FALSE(DecodeHistoryRecord("[1,2]").ok());
}

TEST(HistoryCodecTest, ATornLastLineIsSkippedAndTheRestKept) {
  std::string text = EncodeHistoryWindow("1", RichWindow(0)) + "\n" +
                     EncodeHistoryAlert("1", Alert("firing", 0, 0)) + "\n";
  const std::string torn = EncodeHistoryWindow("1", RichWindow(1));
  text += torn.substr(0, torn.size() / 2);  // killed in the middle of the write
  MonitorHistory h = ReplayHistory(text, "1", HistoryBounds{});
  EXPECT_EQ(h.skipped_lines, 1u);
  ASSERT_EQ(h.windows.size(), 1u);
  EXPECT_EQ(h.windows[0].index, 0u);
  ASSERT_EQ(h.alerts.size(), 1u);
  // Even a complete record without its newline counts as torn: the append did not finish.
  MonitorHistory h2 = ReplayHistory(torn, "1", HistoryBounds{});
  EXPECT_EQ(h2.skipped_lines, 1u);
  EXPECT_TRUE(h2.windows.empty());
  // A damaged line in the middle is skipped too.
  MonitorHistory h3 = ReplayHistory("garbage\n" + text.substr(0, text.rfind('\n') + 1), "1", {});
  EXPECT_EQ(h3.skipped_lines, 1u);
  EXPECT_EQ(h3.windows.size(), 1u);
}

TEST(HistoryCodecTest, ReplayKeepsTheLatestRecordPerWindowWithinTheBounds) {
  std::string text;
  for (uint64_t i = 0; i < 6; ++i) text += EncodeHistoryWindow("1", RichWindow(i)) + "\n";
  WindowResult relabelled = RichWindow(4);
  relabelled.quality.labelled = 199;
  text += EncodeHistoryWindow("1", relabelled) + "\n";
  text += EncodeHistoryWindow("2", RichWindow(9)) + "\n";  // another model version
  for (uint64_t i = 0; i < 5; ++i) text += EncodeHistoryAlert("1", Alert("firing", i, i)) + "\n";
  MonitorHistory h = ReplayHistory(text, "1", HistoryBounds{3, 2});
  ASSERT_EQ(h.windows.size(), 3u);
  EXPECT_EQ(h.windows[0].index, 3u);
  EXPECT_EQ(h.windows[2].index, 5u);
  EXPECT_EQ(h.windows[1].quality.labelled, 199u);
  ASSERT_EQ(h.alerts.size(), 2u);
  EXPECT_EQ(h.alerts[0].first_window, 3u);
  EXPECT_EQ(h.skipped_lines, 0u);
  // Encoding what was replayed gives the same history back.
  MonitorHistory again = ReplayHistory(EncodeHistory("1", h), "1", HistoryBounds{3, 2});
  EXPECT_EQ(EncodeHistory("1", again), EncodeHistory("1", h));
}

}  // namespace
}  // namespace ferry::monitoring
