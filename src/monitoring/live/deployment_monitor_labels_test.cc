// Late labels of DeploymentMonitor: attribution to windows, counts, quality per window,
// the quality alert, and bias by segment (values computed by hand).

#include <gtest/gtest.h>

#include "monitoring/live/deployment_monitor.h"
#include "monitoring/live/live_test_util.h"

namespace ferry::monitoring {
namespace {

using testing::OneNumeric;
using testing::OneText;

std::unique_ptr<DeploymentMonitor> Make(LiveOptions options) {
  auto m = DeploymentMonitor::Create("d", std::nullopt, std::move(options));
  EXPECT_TRUE(m.ok()) << m.status();
  return *std::move(m);
}

std::string Id(int i) { return "req-" + std::to_string(i); }

// Requests 0..n-1 of one row, prediction `pred(i)`.
template <typename Pred>
void FeedPredictions(DeploymentMonitor& m, int first, int n, Pred pred) {
  for (int i = first; i < first + n; ++i) {
    ASSERT_TRUE(m.Add(i, Id(i), OneNumeric("x", {1.0}), OneNumeric("predict", {pred(i)})).ok());
  }
}

TEST(LiveLabelsTest, ClassificationAccuracyPerWindowAndCounts) {
  LiveOptions o;
  o.window_rows = 10;
  auto m = Make(o);
  FeedPredictions(*m, 0, 20, [](int i) { return i % 2 == 0 ? 1.0 : 0.0; });
  std::vector<Label> labels;
  // Window 0 (requests 0-9): 9 of 10 right. Window 1 (10-19): 5 labelled, 2 right.
  for (int i = 0; i < 10; ++i)
    labels.push_back({Id(i), 0, (i == 3) ? 1.0 : (i % 2 == 0 ? 1.0 : 0.0)});
  for (int i = 10; i < 15; ++i)
    labels.push_back({Id(i), 0, i < 12 ? (i % 2 == 0 ? 1.0 : 0.0) : (i % 2 == 0 ? 0.0 : 1.0)});
  labels.push_back({Id(2), 0, 1.0});     // duplicate
  labels.push_back({"nobody", 0, 1.0});  // unknown
  labels.push_back({Id(4), 1, 1.0});     // row out of range: unknown
  LabelCounts c = m->AddLabels(labels);
  EXPECT_EQ(c.matched, 15u);
  EXPECT_EQ(c.duplicate, 1u);
  EXPECT_EQ(c.unknown_request_id, 2u);
  EXPECT_EQ(c.late, 0u);
  const WindowQuality q0 = m->Window(0)->quality;
  EXPECT_TRUE(q0.classification);
  EXPECT_EQ(q0.labelled, 10u);
  ASSERT_TRUE(q0.accuracy);
  EXPECT_DOUBLE_EQ(*q0.accuracy, 0.9);
  EXPECT_FALSE(q0.rmse);
  EXPECT_DOUBLE_EQ(*m->Window(1)->quality.accuracy, 2.0 / 5.0);
  EXPECT_EQ(m->current_state().labels.matched, 15u);
}

TEST(LiveLabelsTest, RegressionRmseAndMaeWithStringLabels) {
  LiveOptions o;
  o.window_rows = 4;
  auto m = Make(o);
  FeedPredictions(*m, 0, 4, [](int i) { return 0.5 + i; });  // 0.5 1.5 2.5 3.5
  // errors 0.5, -0.5, 1.5, 0 -> MAE 2.5/4, RMSE sqrt((0.25+0.25+2.25+0)/4)
  LabelCounts c = m->AddLabels(
      {{Id(0), 0, 0.0}, {Id(1), 0, std::string("2")}, {Id(2), 0, 1.0}, {Id(3), 0, 3.5}});
  EXPECT_EQ(c.matched, 4u);
  const WindowQuality q = m->Window(0)->quality;
  EXPECT_FALSE(q.classification);
  EXPECT_DOUBLE_EQ(*q.mae, 2.5 / 4);
  EXPECT_DOUBLE_EQ(*q.rmse, std::sqrt(2.75 / 4));
  EXPECT_FALSE(q.accuracy);
}

TEST(LiveLabelsTest, RocAucFromTheScoreColumn) {
  LiveOptions o;
  o.window_rows = 4;
  o.score_column = "score";
  auto m = Make(o);
  const double scores[] = {0.9, 0.4, 0.6, 0.1};
  for (int i = 0; i < 4; ++i) {
    Frame p = OneNumeric("predict", {scores[i] > 0.5 ? 1.0 : 0.0});
    p.columns.push_back(Column{"score", true, {scores[i]}, {}});
    ASSERT_TRUE(m->Add(i, Id(i), OneNumeric("x", {1}), p).ok());
  }
  // labels 1, 1, 0, 0: pairs (pos, neg) ordered right: (0.9 > 0.6, 0.9 > 0.1, 0.4 < 0.6,
  // 0.4 > 0.1) -> AUC 3/4; accuracy 2/4.
  m->AddLabels({{Id(0), 0, 1.0}, {Id(1), 0, 1.0}, {Id(2), 0, 0.0}, {Id(3), 0, 0.0}});
  const WindowQuality q = m->Window(0)->quality;
  EXPECT_DOUBLE_EQ(*q.roc_auc, 0.75);
  EXPECT_DOUBLE_EQ(*q.accuracy, 0.5);
}

TEST(LiveLabelsTest, LabelsForEvictedWindowsAreLate) {
  LiveOptions o;
  o.window_rows = 2;
  o.history_windows = 2;
  auto m = Make(o);
  FeedPredictions(*m, 0, 10, [](int) { return 1.0; });  // windows 0-4; 3 and 4 kept
  EXPECT_EQ(m->Windows().size(), 2u);
  EXPECT_EQ(m->Windows().front().index, 3u);
  LabelCounts c = m->AddLabels({{Id(0), 0, 1.0}, {Id(9), 0, 1.0}, {Id(0), 0, 1.0}});
  EXPECT_EQ(c.late, 1u);
  EXPECT_EQ(c.matched, 1u);
  EXPECT_EQ(c.duplicate, 1u);  // the late row is remembered as labelled
  EXPECT_FALSE(m->Window(0));
}

TEST(LiveLabelsTest, QualityAlertAgainstTheFirstLabelledWindow) {
  LiveOptions o;
  o.window_rows = 10;
  o.min_quality_labels = 10;
  auto m = Make(o);
  FeedPredictions(*m, 0, 60, [](int) { return 1.0; });  // windows 0-5
  std::vector<Label> labels;
  for (int i = 0; i < 60; ++i) {
    const int w = i / 10, k = i % 10;
    // Windows 0-1 all right; 2-3 half right (accuracy 0.5 < 1 * 0.8); 4-5 all right.
    const bool right = (w == 2 || w == 3) ? k < 5 : true;
    labels.push_back({Id(i), 0, right ? 1.0 : 0.0});
  }
  // Labels of windows 0-3 first, then 4-5.
  m->AddLabels(std::vector<Label>(labels.begin(), labels.begin() + 40));
  std::vector<AlertEvent> a = m->TakeAlerts();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, "quality");
  EXPECT_EQ(a[0].state, "firing");
  EXPECT_EQ(a[0].first_window, 2u);
  EXPECT_EQ(a[0].last_window, 3u);
  EXPECT_EQ(a[0].columns, std::vector<std::string>{"accuracy"});
  EXPECT_NE(a[0].message.find("accuracy 0.5 against a baseline of 1"), std::string::npos)
      << a[0].message;
  const WindowQuality q2 = m->Window(2)->quality;
  EXPECT_TRUE(q2.degraded);
  EXPECT_DOUBLE_EQ(*q2.baseline, 1.0);
  EXPECT_FALSE(m->Window(1)->quality.degraded);
  EXPECT_TRUE(m->current_state().quality_firing);
  m->AddLabels(std::vector<Label>(labels.begin() + 40, labels.end()));
  a = m->TakeAlerts();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].state, "resolved");
  EXPECT_EQ(a[0].last_window, 5u);
}

TEST(LiveLabelsTest, ReferenceQualityFromOptions) {
  LiveOptions o;
  o.window_rows = 10;
  o.min_quality_labels = 5;
  o.reference_quality = 0.5;  // RMSE
  o.alert_after = 1;
  o.task = LiveTask::kRegression;
  auto m = Make(o);
  FeedPredictions(*m, 0, 10, [](int) { return 1.0; });
  std::vector<Label> labels;
  for (int i = 0; i < 10; ++i) labels.push_back({Id(i), 0, 2.0});  // RMSE 1 > 0.5 * 1.2
  m->AddLabels(labels);
  std::vector<AlertEvent> a = m->TakeAlerts();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].columns, std::vector<std::string>{"rmse"});
  EXPECT_DOUBLE_EQ(*m->Window(0)->quality.rmse, 1.0);
}

// Segment A: predictions 1 1 0 0, labels 1 0 1 0; segment B: predictions 1 0 0 0, labels
// 1 1 0 0. Positive rates 0.5 and 0.25: demographic parity difference 0.25, ratio 0.5;
// recalls 1/2 and 1/2: equal opportunity difference 0; accuracies 0.5 and 0.75.
TEST(LiveBiasTest, GapsComputedByHand) {
  LiveOptions o;
  o.window_rows = 8;
  o.segment_column = "group";
  o.bias_threshold = 0.1;
  auto m = Make(o);
  const char* group[] = {"A", "A", "A", "A", "B", "B", "B", "B"};
  const double pred[] = {1, 1, 0, 0, 1, 0, 0, 0};
  const double label[] = {1, 0, 1, 0, 1, 1, 0, 0};
  for (int w = 0; w < 2; ++w) {
    for (int i = 0; i < 8; ++i) {
      Frame in = OneText("group", {group[i]});
      in.columns.push_back(Column{"x", true, {1.0}, {}});
      ASSERT_TRUE(m->Add(w * 8 + i, Id(w * 8 + i), in, OneNumeric("predict", {pred[i]})).ok());
    }
  }
  WindowResult w0 = *m->Window(0);
  ASSERT_TRUE(w0.bias);
  ASSERT_EQ(w0.bias->segments.size(), 2u);
  EXPECT_DOUBLE_EQ(w0.bias->segments[0].positive_rate, 0.5);
  EXPECT_DOUBLE_EQ(w0.bias->segments[1].positive_rate, 0.25);
  EXPECT_EQ(w0.bias_gaps_over, std::vector<std::string>{"demographic_parity_difference"});
  std::vector<AlertEvent> a = m->TakeAlerts();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, "bias");
  EXPECT_EQ(a[0].first_window, 0u);
  EXPECT_EQ(a[0].last_window, 1u);
  EXPECT_EQ(a[0].columns, std::vector<std::string>{"demographic_parity_difference"});
  EXPECT_DOUBLE_EQ(a[0].statistics[0], 0.25);

  std::vector<Label> labels;
  for (int i = 0; i < 8; ++i) labels.push_back({Id(i), 0, label[i]});
  EXPECT_EQ(m->AddLabels(labels).matched, 8u);
  w0 = *m->Window(0);
  const BiasReport& b = *w0.bias;
  EXPECT_DOUBLE_EQ(*b.segments[0].recall, 0.5);
  EXPECT_DOUBLE_EQ(*b.segments[1].recall, 0.5);
  EXPECT_DOUBLE_EQ(*b.segments[0].accuracy, 0.5);
  EXPECT_DOUBLE_EQ(*b.segments[1].accuracy, 0.75);
  auto gap = [&](const std::string& name) {
    for (const BiasGap& g : b.gaps) {
      if (g.name == name) return *g.value;
    }
    return -1.0;
  };
  EXPECT_DOUBLE_EQ(gap("demographic_parity_difference"), 0.25);
  EXPECT_DOUBLE_EQ(gap("demographic_parity_ratio"), 0.5);
  EXPECT_DOUBLE_EQ(gap("equal_opportunity_difference"), 0.0);
  EXPECT_DOUBLE_EQ(gap("accuracy_difference"), 0.25);
}

TEST(LiveBiasTest, TextClassesNeedThePositiveClass) {
  for (const std::string positive : {"", "yes"}) {
    LiveOptions o;
    o.window_rows = 4;
    o.segment_column = "group";
    o.positive = positive;
    auto m = Make(o);
    const char* group[] = {"A", "A", "B", "B"};
    const char* pred[] = {"yes", "no", "no", "no"};
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(
          m->Add(i, Id(i), OneText("group", {group[i]}), OneText("predict", {pred[i]})).ok());
    }
    m->AddLabels({{Id(0), 0, std::string("yes")}, {Id(1), 0, std::string("yes")}});
    const WindowResult w = *m->Window(0);
    EXPECT_DOUBLE_EQ(*w.quality.accuracy, 0.5);
    if (positive.empty()) {
      EXPECT_FALSE(w.bias);
    } else {
      ASSERT_TRUE(w.bias);
      EXPECT_DOUBLE_EQ(w.bias->segments[0].positive_rate, 0.5);
      EXPECT_DOUBLE_EQ(w.bias->segments[1].positive_rate, 0.0);
    }
  }
}

}  // namespace
}  // namespace ferry::monitoring
