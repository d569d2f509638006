#include "app/monitoring/live_monitoring.h"

#include <gtest/gtest.h>

#include "app/monitoring/history_files.h"
#include "common/clock.h"
#include "common/fs.h"
#include "serving/model_manager.h"
#include "serving/serving_metrics.h"
#include "serving/serving_test_util.h"

namespace ferry::app {
namespace {

serving::PredictionRecord Record(std::string role) {
  serving::PredictionRecord r;
  r.deployment = "churn";
  r.model_version = "1";
  r.role = std::move(role);
  r.inputs.push_back(MakeFp64Tensor("x", {1, 2}, {1, 2}));
  return r;
}

// Without Start no worker reads the queue: what is queued stays, the rest is dropped.
TEST(LiveMonitoring, AFullQueueDropsAndCountsNeverBlocks) {
  cli::LiveMonitorConfig config;
  LiveMonitoring m(config, SystemClock(), SystemRandom(), /*queue_size=*/2);
  for (int i = 0; i < 5; ++i) m.OnPrediction(Record("primary"));
  std::string metrics;
  m.RenderMetrics(&metrics);
  EXPECT_NE(metrics.find("ferry_monitoring_records_dropped_total 3\n"), std::string::npos)
      << metrics;
}

TEST(LiveMonitoring, ShadowRecordsAreNotQueued) {
  cli::LiveMonitorConfig config;
  LiveMonitoring m(config, SystemClock(), SystemRandom(), /*queue_size=*/1);
  m.OnPrediction(Record("shadow"));
  m.OnPrediction(Record("canary"));  // takes the only slot (quality per version)
  m.OnPrediction(Record("primary"));
  std::string metrics;
  m.RenderMetrics(&metrics);
  EXPECT_NE(metrics.find("ferry_monitoring_records_dropped_total 1\n"), std::string::npos)
      << metrics;
}

TEST(LiveMonitoring, SampleRateZeroQueuesNothing) {
  cli::LiveMonitorConfig config;
  config.sample_rate = 0;
  LiveMonitoring m(config, SystemClock(), SystemRandom(), /*queue_size=*/1);
  for (int i = 0; i < 3; ++i) m.OnPrediction(Record("primary"));
  std::string metrics;
  m.RenderMetrics(&metrics);
  EXPECT_NE(metrics.find("ferry_monitoring_records_dropped_total 0\n"), std::string::npos);
}

TEST(LiveMonitoring, UnknownDeploymentsAreNotFound) {
  cli::LiveMonitorConfig config;
  LiveMonitoring m(config, SystemClock(), SystemRandom());
  EXPECT_EQ(m.DeploymentsJson(), "[]");
  EXPECT_EQ(m.WindowsJson("nope", 5).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(m.AlertsJson("nope").status().code(), absl::StatusCode::kNotFound);
}

// A served deployment ("fraud", version 1, a fake model) and a monitor on every deployment
// with windows of 2 rows.
class LiveMonitoringServedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::Create("live-monitoring");
    ASSERT_TRUE(d.ok());
    dir_ = std::make_unique<TempDir>(*std::move(d));
    ASSERT_TRUE(manager_.SetPrimary("fraud", {"fraud", "1", "fake-source", "fake"}).ok());
    config_.mode = cli::MonitorMode::kOn;
    config_.window_rows = 2;
  }

  std::unique_ptr<LiveMonitoring> Start(bool with_store) {
    auto m = std::make_unique<LiveMonitoring>(config_, SystemClock(), SystemRandom());
    if (with_store) {
      m->SetHistoryStore(std::make_unique<HistoryFiles>(JoinPath(dir_->path(), "monitoring"),
                                                        LiveMonitoring::HistoryBounds()));
    }
    m->Start(manager_);
    m->Refresh();
    return m;
  }

  static void Predict(LiveMonitoring& m, int first, int n, const std::string& version = "1",
                      const std::string& role = "primary") {
    for (int i = first; i < first + n; ++i) {
      serving::PredictionRecord r;
      r.deployment = "fraud";
      r.model_version = version;
      r.role = role;
      r.request_id = "req-" + std::to_string(i);
      r.inputs = serving::testing::Rows(i, 1);
      r.outputs.push_back(MakeFp64Tensor("sum", {1}, {static_cast<double>(i)}));
      r.outputs.push_back(MakeBytesTensor("label", {1}, {"r" + std::to_string(i)}));
      m.OnPrediction(std::move(r));
    }
    m.Flush();
  }

  std::unique_ptr<TempDir> dir_;
  serving::testing::Fleet fleet_;
  serving::testing::FakeClock clock_;
  serving::ServingMetrics metrics_;
  serving::ModelManager manager_{fleet_.Loader(), clock_, metrics_};
  cli::LiveMonitorConfig config_;
};

TEST_F(LiveMonitoringServedTest, WindowsSurviveARestartThroughTheHistoryStore) {
  std::string before;
  {
    auto m = Start(/*with_store=*/true);
    Predict(*m, 0, 6);
    auto w = m->WindowsJson("fraud", 100);
    ASSERT_TRUE(w.ok()) << w.status();
    before = *w;
    ASSERT_NE(before.find("\"index\":2"), std::string::npos) << before;
  }
  auto restarted = Start(/*with_store=*/true);
  auto after = restarted->WindowsJson("fraud", 100);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, before);
  Predict(*restarted, 6, 2);  // numbering goes on
  EXPECT_NE(restarted->WindowsJson("fraud", 1)->find("\"index\":3"), std::string::npos);
  // Without a store nothing is carried over.
  restarted.reset();
  auto forgetful = Start(/*with_store=*/false);
  EXPECT_EQ(*forgetful->WindowsJson("fraud", 100), "[]");
}

TEST_F(LiveMonitoringServedTest, ARemovedDeploymentLosesItsMonitor) {
  auto m = Start(/*with_store=*/false);
  Predict(*m, 0, 2);
  ASSERT_TRUE(m->WindowsJson("fraud", 10).ok());
  ASSERT_TRUE(manager_.Remove("fraud").ok());
  m->Refresh();
  EXPECT_EQ(m->DeploymentsJson(), "[]");
  EXPECT_EQ(m->WindowsJson("fraud", 10).status().code(), absl::StatusCode::kNotFound);
  std::string metrics;
  m->RenderMetrics(&metrics);
  EXPECT_EQ(metrics.find("deployment=\"fraud\""), std::string::npos) << metrics;
}

TEST_F(LiveMonitoringServedTest, TheQualityGaugeReadsTheLatestLabelledWindow) {
  auto m = Start(/*with_store=*/false);
  Predict(*m, 0, 6);  // windows 0, 1, 2
  std::vector<http::PostedLabel> labels(3);
  labels[0].request_id = "req-0";  // window 0: right
  labels[0].number = 0;
  labels[1].request_id = "req-2";  // window 1: one right, one wrong
  labels[1].number = 2;
  labels[2].request_id = "req-3";
  labels[2].number = 0;
  auto c = m->AddLabels("fraud", labels);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->matched, 3);
  std::string metrics;
  m->RenderMetrics(&metrics);
  EXPECT_NE(
      metrics.find("ferry_monitoring_quality{deployment=\"fraud\",metric=\"accuracy\"} 0.5\n"),
      std::string::npos)
      << metrics;
}

// Labels score the version that made each prediction: the canary's rows (unknown to the
// window monitor, which watches the primary) count as matched and give the canary a quality.
TEST_F(LiveMonitoringServedTest, ACanaryGetsItsOwnQualityFromLabels) {
  serving::ChallengerPolicy canary{serving::ChallengerMode::kCanary, 50};
  ASSERT_TRUE(manager_.SetChallenger("fraud", {"fraud", "2", "fake-source", "fake"}, canary).ok());
  auto m = Start(/*with_store=*/false);
  Predict(*m, 0, 40);                   // the champion predicts "sum" = i
  Predict(*m, 100, 40, "2", "canary");  // the canary too
  std::vector<http::PostedLabel> labels;
  for (int i = 0; i < 40; ++i) {
    http::PostedLabel champion;  // always right
    champion.request_id = "req-" + std::to_string(i);
    champion.number = i;
    labels.push_back(champion);
    http::PostedLabel challenger;  // right one time in four
    challenger.request_id = "req-" + std::to_string(100 + i);
    challenger.number = i % 4 == 0 ? 100 + i : -1;
    labels.push_back(challenger);
  }
  auto c = m->AddLabels("fraud", labels);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->matched, 80);
  EXPECT_EQ(c->unknown, 0);
  const std::string json = m->DeploymentsJson();
  EXPECT_NE(json.find(R"("1":{"labelled":40,"metric":"accuracy","value":1.0,"quality":1.0})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("2":{"labelled":40,"metric":"accuracy","value":0.25,"quality":0.25})"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace ferry::app
