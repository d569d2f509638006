// DeploymentMonitor across a restart: the windows and alerts it reports for a history store
// (TakeChangedWindows, TakeAlerts), taken up again by a new monitor (Restore) through the
// history encoding; and LatestQuality, what the quality gauge reads.

#include <gtest/gtest.h>

#include <random>

#include "monitoring/live/deployment_monitor.h"
#include "monitoring/live/history_codec.h"
#include "monitoring/live/live_json.h"
#include "monitoring/live/live_test_util.h"

namespace ferry::monitoring {
namespace {

using testing::OneNumeric;
using testing::Predict;
using testing::Traffic;

std::unique_ptr<DeploymentMonitor> Make(std::optional<DatasetProfile> reference,
                                        LiveOptions options = {}) {
  auto m = DeploymentMonitor::Create("churn", std::move(reference), std::move(options));
  EXPECT_TRUE(m.ok()) << m.status();
  return *std::move(m);
}

DatasetProfile Reference() {
  std::mt19937_64 rng(5);
  return DatasetProfile::FromFrame(Traffic(rng, 10000));
}

// Feeds `windows` windows of 1000 rows, appending what a store would receive to `file`.
void Feed(DeploymentMonitor& m, std::mt19937_64& rng, int windows, double shift, int64_t* now,
          std::string* file, std::vector<AlertEvent>* events) {
  for (int r = 0; r < windows * 20; ++r) {
    Frame in = Traffic(rng, 50, shift);
    const int64_t t = (*now)++;
    ASSERT_TRUE(m.Add(t, "r" + std::to_string(t), in, Predict(in)).ok());
    for (const WindowResult& w : m.TakeChangedWindows()) {
      *file += EncodeHistoryWindow("1", w) + "\n";
    }
    for (const AlertEvent& a : m.TakeAlerts()) {
      *file += EncodeHistoryAlert("1", a) + "\n";
      events->push_back(a);
    }
  }
}

TEST(LiveRestoreTest, ARestartedMonitorGoesOnWhereTheFirstStopped) {
  std::mt19937_64 rng(11);
  int64_t now = 0;
  std::string file;
  std::vector<AlertEvent> events;
  auto first = Make(Reference());
  Feed(*first, rng, 2, 0.0, &now, &file, &events);
  Feed(*first, rng, 3, 1.0, &now, &file, &events);
  ASSERT_TRUE(first->current_state().data_drift_firing);
  ASSERT_FALSE(events.empty());

  MonitorHistory h = ReplayHistory(file, "1", HistoryBounds{});
  ASSERT_EQ(h.windows.size(), 5u);
  auto second = Make(Reference());
  second->Restore(h);
  std::vector<WindowResult> before = first->Windows(), after = second->Windows();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(WindowResultJson(after[i]), WindowResultJson(before[i])) << i;
  }
  EXPECT_TRUE(second->current_state().data_drift_firing);
  EXPECT_EQ(second->current_state().windows_closed, 5u);

  // Still shifted: the alert stays up without firing twice; numbering goes on.
  std::vector<AlertEvent> later;
  Feed(*second, rng, 2, 1.0, &now, &file, &later);
  for (const AlertEvent& e : later) EXPECT_NE(e.kind, "data_drift") << AlertEventJson(e);
  EXPECT_EQ(second->Windows().back().index, 6u);
  // Back to normal: it resolves, naming the window it fired in before the restart.
  Feed(*second, rng, 2, 0.0, &now, &file, &later);
  bool resolved = false;
  for (const AlertEvent& e : later) {
    if (e.kind != "data_drift") continue;
    EXPECT_EQ(e.state, "resolved");
    EXPECT_EQ(e.first_window, events.front().first_window);
    resolved = true;
  }
  EXPECT_TRUE(resolved);
}

TEST(LiveRestoreTest, RestoreIsIgnoredAfterTraffic) {
  std::mt19937_64 rng(3);
  MonitorHistory h;
  h.windows.push_back(WindowResult{});
  h.windows.back().index = 41;
  auto m = Make(Reference());
  Frame in = Traffic(rng, 5);
  ASSERT_TRUE(m->Add(0, "a", in, Predict(in)).ok());
  m->Restore(h);
  EXPECT_TRUE(m->Windows().empty());
  EXPECT_EQ(m->current_state().windows_closed, 0u);
}

TEST(LiveRestoreTest, LabelsReportTheirWindowAgainAndLatestQualityFollowsThem) {
  LiveOptions o;
  o.window_rows = 4;
  auto m = Make(std::nullopt, o);
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(
        m->Add(i, "q" + std::to_string(i), OneNumeric("x", {1.0}), OneNumeric("predict", {1.0}))
            .ok());
  }
  EXPECT_EQ(m->TakeChangedWindows().size(), 3u);
  EXPECT_TRUE(m->TakeChangedWindows().empty());
  EXPECT_FALSE(m->LatestQuality());
  // Labels for window 1 only: it is reported again, and it is the latest with quality even
  // though window 2 closed after it.
  LabelCounts c = m->AddLabels({{"q4", 0, 1.0}, {"q5", 0, 0.0}});
  EXPECT_EQ(c.matched, 2u);
  std::vector<WindowResult> changed = m->TakeChangedWindows();
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].index, 1u);
  EXPECT_EQ(changed[0].quality.labelled, 2u);
  std::optional<WindowQuality> q = m->LatestQuality();
  ASSERT_TRUE(q);
  EXPECT_EQ(q->labelled, 2u);
  EXPECT_DOUBLE_EQ(*q->accuracy, 0.5);
}

}  // namespace
}  // namespace ferry::monitoring
