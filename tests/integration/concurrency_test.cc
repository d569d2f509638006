// Many clients writing at once through HTTP: no "database is locked", no 5xx, nothing lost.

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
#include "gtest/gtest.h"
#include "integration/test_server.h"

namespace ferry::testing {
namespace {

std::string CreateRun(const TestServer& server) {
  auto resp = server.Post("/runs/create", R"({"experiment_id": "0"})");
  EXPECT_EQ(resp.status, 200) << resp.body;
  auto json = ParseJson(resp.body);
  EXPECT_TRUE(json.ok());
  return json->Find("run")->Find("info")->Find("run_id")->as_string();
}

TEST(ConcurrencyTest, ThirtyTwoWritersLoseNothing) {
  TestServer server;
  constexpr int kWriters = 32;
  constexpr int kBatches = 20;
  constexpr int kMetricsPerBatch = 50;
  std::vector<std::string> runs;
  for (int i = 0; i < kWriters; ++i) runs.push_back(CreateRun(server));

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int b = 0; b < kBatches; ++b) {
        std::string body = R"({"run_id": ")" + runs[w] + R"(", "metrics": [)";
        for (int m = 0; m < kMetricsPerBatch; ++m) {
          if (m) body += ",";
          int step = b * kMetricsPerBatch + m;
          body += R"({"key": "loss", "value": )" + std::to_string(step) +
                  R"(, "timestamp": 1, "step": )" + std::to_string(step) + "}";
        }
        body += R"(], "params": [{"key": "p)" + std::to_string(b) + R"(", "value": "v"}]})";
        auto resp = server.client().Send("POST", "/api/2.0/mlflow/runs/log-batch", body);
        if (!resp.ok() || resp->status != 200) {
          ++failures;
          ADD_FAILURE() << (resp.ok() ? resp->body : resp.status().ToString());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  for (const auto& run : runs) {
    auto resp =
        server.Get("/api/2.0/mlflow/metrics/get-history?run_id=" + run + "&metric_key=loss");
    ASSERT_EQ(resp.status, 200);
    auto json = ParseJson(resp.body);
    ASSERT_TRUE(json.ok());
    EXPECT_EQ(json->Find("metrics")->items().size(), size_t{kBatches * kMetricsPerBatch});
    auto got = server.Get("/api/2.0/mlflow/runs/get?run_id=" + run);
    auto run_json = ParseJson(got.body);
    ASSERT_TRUE(run_json.ok());
    EXPECT_EQ(run_json->Find("run")->Find("data")->Find("params")->items().size(),
              size_t{kBatches});
  }
}

TEST(ConcurrencyTest, ConcurrentExperimentCreationHasOneWinnerPerName) {
  TestServer server;
  std::atomic<int> created{0}, exists{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      auto resp = server.client().Send("POST", "/api/2.0/mlflow/experiments/create",
                                       R"({"name": "contended"})");
      if (!resp.ok()) {
        ++other;
      } else if (resp->status == 200) {
        ++created;
      } else if (resp->body.find("RESOURCE_ALREADY_EXISTS") != std::string::npos) {
        ++exists;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(exists.load(), 15);
  EXPECT_EQ(other.load(), 0);
}

}  // namespace
}  // namespace ferry::testing
