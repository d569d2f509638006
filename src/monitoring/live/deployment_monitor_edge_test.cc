// DeploymentMonitor on time windows, degenerate data and long runs: defined answers, no NaN,
// bounded memory.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "common/json.h"
#include "monitoring/live/deployment_monitor.h"
#include "monitoring/live/live_json.h"
#include "monitoring/live/live_test_util.h"

namespace ferry::monitoring {
namespace {

using testing::OneNumeric;
using testing::Predict;
using testing::Traffic;

std::unique_ptr<DeploymentMonitor> Make(std::optional<DatasetProfile> reference,
                                        LiveOptions options) {
  auto m = DeploymentMonitor::Create("d", std::move(reference), std::move(options));
  EXPECT_TRUE(m.ok()) << m.status();
  return *std::move(m);
}

void ExpectNoNaN(const WindowResult& w) {
  const std::string json = WindowResultJson(w);
  EXPECT_EQ(json.find("NaN"), std::string::npos) << json;
  EXPECT_EQ(json.find("Infinity"), std::string::npos) << json;
  EXPECT_TRUE(ParseJson(json).ok()) << json;
}

TEST(LiveWindowsTest, TimeWindowsCloseByTickAndRecordEmptyWindows) {
  LiveOptions o;
  o.window_rows = 0;
  o.window_ms = 1000;
  auto m = Make(std::nullopt, o);
  std::mt19937_64 rng(1);
  Frame in = Traffic(rng, 5);
  ASSERT_TRUE(m->Add(100, "a", in, Predict(in)).ok());  // opens [100, 1100)
  m->Tick(1099);
  EXPECT_TRUE(m->Windows().empty());
  EXPECT_EQ(m->current_state().open_window_rows, 5u);
  m->Tick(1100);
  ASSERT_EQ(m->Windows().size(), 1u);
  WindowResult w0 = m->Windows()[0];
  EXPECT_EQ(w0.start_ms, 100);
  EXPECT_EQ(w0.end_ms, 1100);
  EXPECT_EQ(w0.rows, 5u);
  EXPECT_FALSE(w0.empty);
  m->Tick(2600);  // closes [1100, 2100) empty, opens [2100, 3100)
  m->Tick(9000);  // closes [2100, 3100) empty; the gap records no more windows
  std::vector<WindowResult> ws = m->Windows();
  ASSERT_EQ(ws.size(), 3u);
  EXPECT_TRUE(ws[1].empty);
  EXPECT_EQ(ws[1].start_ms, 1100);
  EXPECT_EQ(ws[1].end_ms, 2100);
  EXPECT_EQ(ws[2].start_ms, 2100);
  EXPECT_EQ(ws[2].end_ms, 3100);
  for (const WindowResult& w : ws) ExpectNoNaN(w);
  EXPECT_FALSE(ws[1].dataset_drift);
  EXPECT_EQ(ws[1].compared_with, "none");
  // An Add after the time is up closes the open window first ([8100, 9100) opened at 9000).
  ASSERT_TRUE(m->Add(9100, "b", in, Predict(in)).ok());
  ws = m->Windows();
  ASSERT_EQ(ws.size(), 4u);
  EXPECT_EQ(ws[3].start_ms, 8100);
  EXPECT_TRUE(ws[3].empty);
  EXPECT_EQ(m->current_state().open_window_rows, 5u);
  EXPECT_TRUE(m->TakeAlerts().empty());
}

TEST(LiveWindowsTest, RowsAndTimeWhicheverComesFirst) {
  LiveOptions o;
  o.window_rows = 10;
  o.window_ms = 1000;
  auto m = Make(std::nullopt, o);
  std::mt19937_64 rng(2);
  Frame big = Traffic(rng, 25);  // one request spanning three windows
  ASSERT_TRUE(m->Add(0, "big", big, Predict(big)).ok());
  ASSERT_EQ(m->Windows().size(), 2u);
  EXPECT_EQ(m->current_state().open_window_rows, 5u);
  m->Tick(1000);
  ASSERT_EQ(m->Windows().size(), 3u);
  EXPECT_EQ(m->Windows()[2].rows, 5u);
  // Labels reach the window each row went to.
  LabelCounts c = m->AddLabels({{"big", 0, 1.0}, {"big", 24, 1.0}, {"big", 25, 1.0}});
  EXPECT_EQ(c.matched, 2u);
  EXPECT_EQ(c.unknown_request_id, 1u);
  EXPECT_EQ(m->Window(0)->quality.labelled, 1u);
  EXPECT_EQ(m->Window(2)->quality.labelled, 1u);
}

TEST(LiveDegenerateTest, ConstantMissingNonFiniteAndUnknownColumns) {
  // Reference: a constant column, an all-missing one, a normal one, and "only_ref".
  Frame ref;
  ref.columns.push_back(Column{"constant", true, std::vector<double>(500, 3.0), {}});
  ref.columns.push_back(Column{
      "all_missing", true, std::vector<double>(500, std::numeric_limits<double>::quiet_NaN()), {}});
  std::vector<double> normal;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> n01;
  for (int i = 0; i < 500; ++i) normal.push_back(n01(rng));
  ref.columns.push_back(Column{"x", true, normal, {}});
  ref.columns.push_back(Column{"only_ref", false, {}, std::vector<std::string>(500, "k")});
  LiveOptions o;
  o.window_rows = 100;
  auto m = Make(DatasetProfile::FromFrame(ref), o);
  for (int i = 0; i < 100; ++i) {
    Frame in;
    in.columns.push_back(Column{"constant", true, {3.0}, {}});
    in.columns.push_back(
        Column{"all_missing", true, {std::numeric_limits<double>::quiet_NaN()}, {}});
    const double x = i % 10 == 0 ? std::numeric_limits<double>::infinity()
                                 : (i % 10 == 1 ? std::nan("") : n01(rng));
    in.columns.push_back(Column{"x", false, {}, {i % 10 == 2 ? "oops" : std::to_string(x)}});
    in.columns.push_back(Column{"new_" + std::to_string(i % 3), true, {1.0}, {}});
    ASSERT_TRUE(m->Add(i, "r" + std::to_string(i), in, OneNumeric("predict", {1.0})).ok());
  }
  ASSERT_EQ(m->Windows().size(), 1u);
  const WindowResult w = m->Windows()[0];
  ExpectNoNaN(w);
  EXPECT_EQ(w.unknown_columns, 3u);
  ASSERT_EQ(w.columns.size(), 4u);
  EXPECT_EQ(w.columns[0].name, "constant");
  EXPECT_EQ(w.columns[0].status, "ok");
  EXPECT_FALSE(w.columns[0].drift_detected);
  EXPECT_EQ(w.columns[1].status, "no_reference_values");
  EXPECT_EQ(w.columns[2].name, "x");
  EXPECT_EQ(w.columns[2].status, "ok");
  EXPECT_EQ(w.columns[2].missing, 20u);  // NaN and "oops" (text in a numeric column)
  EXPECT_EQ(w.columns[3].name, "only_ref");
  EXPECT_EQ(w.columns[3].status, "no_current_values");
  EXPECT_EQ(w.columns[3].missing, 100u);  // absent from every request
  EXPECT_EQ(w.number_of_columns, 2u);
  EXPECT_FALSE(w.dataset_drift);
}

TEST(LiveDegenerateTest, RaggedRequestsAreRejectedWithoutSideEffects) {
  auto m = Make(std::nullopt, LiveOptions{});
  Frame in;
  in.columns.push_back(Column{"a", true, {1, 2}, {}});
  in.columns.push_back(Column{"b", true, {1}, {}});
  absl::Status s = m->Add(0, "r", in, OneNumeric("predict", {1, 2}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m->Add(0, "r2", OneNumeric("a", {1, 2}), OneNumeric("predict", {1})).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m->current_state().rows_total, 0u);
  EXPECT_EQ(m->current_state().rejected_rows, 4u);
  EXPECT_TRUE(m->Add(0, "empty", Frame{}, Frame{}).ok());
  EXPECT_EQ(m->current_state().open_window_rows, 0u);
}

TEST(LiveDegenerateTest, InvalidOptionsNameTheField) {
  LiveOptions o;
  o.window_rows = 0;
  auto m = DeploymentMonitor::Create("d", std::nullopt, o);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("window_rows"), std::string::npos);
  o = LiveOptions{};
  o.alpha = 1.5;
  EXPECT_NE(ValidateLiveOptions(o).message().find("alpha"), std::string::npos);
  o = LiveOptions{};
  o.history_windows = 0;
  EXPECT_FALSE(ValidateLiveOptions(o).ok());
  EXPECT_TRUE(ValidateLiveOptions(LiveOptions{}).ok());
}

TEST(LiveMemoryTest, OneMillionRowsStayBounded) {
  LiveOptions o;
  o.window_rows = 1000;
  o.history_windows = 20;
  o.max_pending_labels = 5000;
  o.segment_column = "cat";
  std::mt19937_64 rng(4);
  DatasetProfile ref = DatasetProfile::FromFrame(Traffic(rng, 5000));
  auto m = Make(std::move(ref), o);
  Frame in = Traffic(rng, 100);
  Frame pred = Predict(in);
  for (int r = 0; r < 10000; ++r) {
    // Same rows each time (fast); a fresh request id and a new unknown column name.
    Frame with_unknown = in;
    with_unknown.columns.push_back(
        Column{"junk" + std::to_string(r), true, std::vector<double>(100, 1.0), {}});
    ASSERT_TRUE(m->Add(r, "req" + std::to_string(r), with_unknown, pred).ok());
  }
  MonitorState s = m->current_state();
  EXPECT_EQ(s.rows_total, 1000000u);
  EXPECT_EQ(s.windows_closed, 1000u);
  EXPECT_EQ(m->Windows().size(), 20u);
  EXPECT_EQ(s.pending_labels, 5000u);
  for (const WindowResult& w : m->Windows()) {
    EXPECT_LE(w.unknown_columns, o.max_columns);
    EXPECT_EQ(w.columns.size(), 3u);  // never the junk columns
  }
  // The oldest requests are forgotten, the newest still known.
  LabelCounts c = m->AddLabels({{"req0", 0, 1.0}, {"req9999", 99, 1.0}});
  EXPECT_EQ(c.unknown_request_id, 1u);
  EXPECT_EQ(c.matched, 1u);
  // Alerts not taken are capped too.
  EXPECT_LE(m->TakeAlerts().size(), 1000u);
}

}  // namespace
}  // namespace ferry::monitoring
