// Data and prediction drift of DeploymentMonitor: windows compared with the reference or
// the first window, alerts with hysteresis.

#include <gtest/gtest.h>

#include <random>

#include "monitoring/live/deployment_monitor.h"
#include "monitoring/live/live_test_util.h"

namespace ferry::monitoring {
namespace {

using testing::Predict;
using testing::Traffic;

std::unique_ptr<DeploymentMonitor> Make(std::optional<DatasetProfile> reference,
                                        LiveOptions options = {}) {
  auto m = DeploymentMonitor::Create("iris", std::move(reference), std::move(options));
  EXPECT_TRUE(m.ok()) << m.status();
  return *std::move(m);
}

// Feeds `windows` windows of 1000 rows (requests of 50 rows) with the given shift.
void Feed(DeploymentMonitor& m, std::mt19937_64& rng, int windows, double shift, int64_t* now) {
  for (int r = 0; r < windows * 20; ++r) {
    Frame in = Traffic(rng, 50, shift);
    const int64_t t = (*now)++;
    ASSERT_TRUE(m.Add(t, "r" + std::to_string(t), in, Predict(in)).ok());
  }
}

// The events of one kind (shifting x1 also moves the toy model's predictions).
std::vector<AlertEvent> OfKind(std::vector<AlertEvent> events, const std::string& kind) {
  std::vector<AlertEvent> out;
  for (AlertEvent& e : events) {
    if (e.kind == kind) out.push_back(std::move(e));
  }
  return out;
}

DatasetProfile Reference(uint64_t seed) {
  std::mt19937_64 rng(seed);
  Frame ref = Traffic(rng, 10000);
  return DatasetProfile::FromFrame(ref);
}

TEST(LiveDriftTest, ReferenceLikeTrafficNeverAlerts) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    auto m = Make(Reference(seed));
    std::mt19937_64 rng(seed * 7919);
    int64_t now = 0;
    Feed(*m, rng, 15, 0.0, &now);
    EXPECT_TRUE(m->TakeAlerts().empty()) << "seed " << seed;
    std::vector<WindowResult> windows = m->Windows();
    ASSERT_EQ(windows.size(), 15u);
    for (const WindowResult& w : windows) {
      EXPECT_EQ(w.rows, 1000u);
      EXPECT_EQ(w.compared_with, "reference");
      EXPECT_EQ(w.number_of_columns, 3u);
      EXPECT_FALSE(w.dataset_drift) << "seed " << seed << " window " << w.index;
    }
    EXPECT_FALSE(m->current_state().data_drift_firing);
  }
}

TEST(LiveDriftTest, ShiftFiresAfterAlertAfterAndResolvesAfterClearAfter) {
  auto m = Make(Reference(1));
  std::mt19937_64 rng(42);
  int64_t now = 0;
  Feed(*m, rng, 2, 0.0, &now);  // windows 0, 1
  Feed(*m, rng, 1, 0.5, &now);  // window 2: drifted, one window is not enough
  EXPECT_TRUE(m->TakeAlerts().empty());
  std::optional<WindowResult> w2 = m->Window(2);
  ASSERT_TRUE(w2);
  EXPECT_TRUE(w2->dataset_drift);
  EXPECT_EQ(w2->number_of_drifted_columns, 2u);  // x1 and x2, not cat
  EXPECT_DOUBLE_EQ(w2->drift_share, 2.0 / 3.0);
  for (const LiveColumnDrift& c : w2->columns) {
    EXPECT_EQ(c.stattest, c.name == "cat" ? "jensenshannon" : "sketch_ks");
    if (c.name != "cat") {
      EXPECT_GT(c.statistic, c.threshold);
    }
  }

  Feed(*m, rng, 1, 0.5, &now);  // window 3: fires
  std::vector<AlertEvent> alerts = m->TakeAlerts();
  ASSERT_GE(alerts.size(), 1u);
  const AlertEvent& fired = alerts[0];
  EXPECT_EQ(fired.kind, "data_drift");
  EXPECT_EQ(fired.state, "firing");
  EXPECT_EQ(fired.deployment, "iris");
  EXPECT_EQ(fired.first_window, 2u);
  EXPECT_EQ(fired.last_window, 3u);
  EXPECT_EQ(fired.columns, (std::vector<std::string>{"x1", "x2"}));
  EXPECT_EQ(fired.stattests, (std::vector<std::string>{"sketch_ks", "sketch_ks"}));
  ASSERT_EQ(fired.statistics.size(), 2u);
  EXPECT_NE(fired.message.find("windows 2-3"), std::string::npos) << fired.message;
  EXPECT_NE(fired.message.find("x1"), std::string::npos) << fired.message;
  EXPECT_TRUE(m->current_state().data_drift_firing);

  Feed(*m, rng, 1, 0.0, &now);  // window 4: clean, still firing
  for (const AlertEvent& e : m->TakeAlerts()) EXPECT_NE(e.kind, "data_drift");
  EXPECT_TRUE(m->current_state().data_drift_firing);
  Feed(*m, rng, 1, 0.0, &now);  // window 5: resolves
  alerts = OfKind(m->TakeAlerts(), "data_drift");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, "data_drift");
  EXPECT_EQ(alerts[0].state, "resolved");
  EXPECT_EQ(alerts[0].first_window, 2u);
  EXPECT_EQ(alerts[0].last_window, 5u);
  EXPECT_FALSE(m->current_state().data_drift_firing);
}

TEST(LiveDriftTest, OneNoisyWindowDoesNotFire) {
  auto m = Make(Reference(3));
  std::mt19937_64 rng(5);
  int64_t now = 0;
  for (int i = 0; i < 4; ++i) {
    Feed(*m, rng, 1, 0.0, &now);
    Feed(*m, rng, 1, 0.5, &now);  // every other window drifted: never two in a row
  }
  EXPECT_TRUE(m->TakeAlerts().empty());
  EXPECT_TRUE(m->Window(1)->dataset_drift);
}

TEST(LiveDriftTest, AlertAfterOneFiresOnTheFirstDriftedWindow) {
  LiveOptions o;
  o.alert_after = 1;
  o.clear_after = 1;
  auto m = Make(Reference(4), o);
  std::mt19937_64 rng(6);
  int64_t now = 0;
  Feed(*m, rng, 1, 1.0, &now);
  std::vector<AlertEvent> a = OfKind(m->TakeAlerts(), "data_drift");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].first_window, 0u);
  Feed(*m, rng, 1, 0.0, &now);
  a = OfKind(m->TakeAlerts(), "data_drift");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].state, "resolved");
}

TEST(LiveDriftTest, PredictionDriftAgainstTheFirstWindow) {
  auto m = Make(Reference(8));  // the reference has no prediction columns
  std::mt19937_64 rng(9);
  int64_t now = 0;
  Feed(*m, rng, 1, 0.0, &now);
  WindowResult w0 = *m->Window(0);
  EXPECT_TRUE(w0.baseline);  // predictions' baseline
  EXPECT_EQ(w0.compared_with, "reference");
  EXPECT_TRUE(w0.prediction_drift.empty());
  Feed(*m, rng, 2, 0.0, &now);
  WindowResult w1 = *m->Window(1);
  ASSERT_EQ(w1.prediction_drift.size(), 2u);
  EXPECT_EQ(w1.prediction_drift[0].name, "predict");
  EXPECT_EQ(w1.prediction_drift[0].column_type, "cat");  // 0/1
  EXPECT_EQ(w1.prediction_drift[1].column_type, "num");  // the score
  EXPECT_FALSE(w1.prediction_drift_detected);
  EXPECT_TRUE(m->TakeAlerts().empty());
  // Shifting only the inputs the model reads (x1) moves its predictions.
  for (int r = 0; r < 40; ++r) {
    Frame in = Traffic(rng, 50, 0.0);
    for (double& x : in.columns[0].numbers) x += 0.8;
    ASSERT_TRUE(m->Add(now++, "p" + std::to_string(r), in, Predict(in)).ok());
  }
  EXPECT_TRUE(m->Window(3)->prediction_drift_detected);
  bool fired = false;
  for (const AlertEvent& e : m->TakeAlerts()) {
    if (e.kind == "prediction_drift" && e.state == "firing") {
      fired = true;
      EXPECT_EQ(e.first_window, 3u);
      EXPECT_EQ(e.last_window, 4u);
    }
  }
  EXPECT_TRUE(fired);
  EXPECT_TRUE(m->current_state().prediction_drift_firing);
}

TEST(LiveDriftTest, WithoutReferenceTheFirstWindowIsTheBaseline) {
  auto m = Make(std::nullopt);
  std::mt19937_64 rng(10);
  int64_t now = 0;
  Feed(*m, rng, 1, 0.0, &now);
  WindowResult w0 = *m->Window(0);
  EXPECT_TRUE(w0.baseline);
  EXPECT_EQ(w0.compared_with, "none");
  EXPECT_TRUE(w0.columns.empty());
  EXPECT_FALSE(w0.dataset_drift);
  Feed(*m, rng, 1, 0.0, &now);
  WindowResult w1 = *m->Window(1);
  EXPECT_FALSE(w1.baseline);
  EXPECT_EQ(w1.compared_with, "baseline");
  EXPECT_EQ(w1.number_of_columns, 3u);
  EXPECT_FALSE(w1.dataset_drift);
  Feed(*m, rng, 2, 0.5, &now);
  EXPECT_TRUE(m->Window(2)->dataset_drift);
  EXPECT_TRUE(m->current_state().data_drift_firing);
}

TEST(LiveDriftTest, CategoricalShiftIsSeenByJensenShannon) {
  auto m = Make(Reference(11));
  std::mt19937_64 rng(12);
  int64_t now = 0;
  for (int r = 0; r < 20; ++r) {
    Frame in = Traffic(rng, 50);
    for (std::string& s : in.columns[2].strings) s = "c";  // every row in one category
    ASSERT_TRUE(m->Add(now++, "c" + std::to_string(r), in, Predict(in)).ok());
  }
  const WindowResult w = *m->Window(0);
  const LiveColumnDrift& cat = w.columns[2];
  EXPECT_EQ(cat.name, "cat");
  EXPECT_EQ(cat.column_type, "cat");
  EXPECT_TRUE(cat.drift_detected);
  // JS(ref ~ (0.5, 0.3, 0.2), cur = (0, 0, 1)) in nats is about 0.64.
  EXPECT_GT(cat.statistic, 0.55);
  EXPECT_LT(cat.statistic, 0.75);
}

}  // namespace
}  // namespace ferry::monitoring
