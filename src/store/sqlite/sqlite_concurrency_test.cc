// Many threads against one store: writers never see "database is locked", nothing is lost.

#include <atomic>
#include <thread>

#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite::testing {
namespace {

constexpr int kThreads = 32;
constexpr int kBatches = 20;
constexpr int kMetricsPerBatch = 50;

TEST_F(SqliteStoreTest, ConcurrentLogBatchToDifferentRuns) {
  std::string exp = NewExperiment("concurrent");
  for (int t = 0; t < kThreads; ++t) NewRun(exp, t, 1000 + t);
  std::atomic<int> failures{0};
  std::atomic<bool> writing{true};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<Metric> metrics;
        for (int j = 0; j < kMetricsPerBatch; ++j) {
          int step = b * kMetricsPerBatch + j;
          metrics.push_back({"m", static_cast<double>(step), 1000 + step, step});
        }
        absl::Status s = store_->LogBatch(RunId(t), metrics, {{"p" + std::to_string(b), "v"}},
                                          {{"t", std::to_string(b)}});
        if (!s.ok()) {
          ADD_FAILURE() << s;
          ++failures;
        }
      }
    });
  }
  // Readers run alongside the writers.
  std::thread reader([&] {
    RunSearchQuery q;
    q.experiment_ids = {exp};
    q.order_by = {{SearchEntity::kMetric, "m", false}};
    while (writing) {
      auto page = store_->SearchRuns(q);
      if (!page.ok()) {
        ADD_FAILURE() << page.status();
        ++failures;
      }
    }
  });
  for (std::thread& th : threads) th.join();
  writing = false;
  reader.join();
  ASSERT_EQ(failures, 0);
  for (int t = 0; t < kThreads; ++t) {
    auto history = store_->GetMetricHistory(RunId(t), "m", 0, 0);
    ASSERT_TRUE(history.ok()) << history.status();
    EXPECT_EQ(history->items.size(), static_cast<size_t>(kBatches * kMetricsPerBatch));
    auto run = store_->GetRun(RunId(t));
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(run->data.params.size(), static_cast<size_t>(kBatches));
    ASSERT_EQ(run->data.metrics.size(), 1u);
    EXPECT_EQ(run->data.metrics[0].step, kBatches * kMetricsPerBatch - 1);
  }
}

TEST_F(SqliteStoreTest, ConcurrentCreateExperimentSameName) {
  std::atomic<int> created{0}, exists{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto id = store_->CreateExperiment("same", "", "", {}, 1);
      if (id.ok()) ++created;
      if (absl::IsAlreadyExists(id.status())) ++exists;
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(exists, 7);
}

TEST_F(SqliteStoreTest, TwoStoresOnOneFile) {
  // A second process (here: a second store) on the same file waits for the lock instead of
  // failing, thanks to the busy timeout.
  auto second = SqliteStore::Create(db_path_);
  ASSERT_TRUE(second.ok()) << second.status();
  std::string exp = NewExperiment("shared");
  std::thread a([&] {
    for (int i = 0; i < 50; ++i) EXPECT_TRUE(store_->SetExperimentTag(exp, {"a", "1"}).ok());
  });
  for (int i = 0; i < 50; ++i) EXPECT_TRUE((*second)->SetExperimentTag(exp, {"b", "1"}).ok());
  a.join();
  EXPECT_EQ((*second)->GetExperiment(exp)->tags.size(), 2u);
}

}  // namespace
}  // namespace ferry::store::sqlite::testing
