#include "app/monitoring/live_monitoring.h"

#include <gtest/gtest.h>

#include "common/clock.h"

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

TEST(LiveMonitoring, CanaryAndShadowRecordsAreNotQueued) {
  cli::LiveMonitorConfig config;
  LiveMonitoring m(config, SystemClock(), SystemRandom(), /*queue_size=*/1);
  m.OnPrediction(Record("shadow"));
  m.OnPrediction(Record("canary"));
  m.OnPrediction(Record("direct"));  // takes the only slot
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

}  // namespace
}  // namespace ferry::app
