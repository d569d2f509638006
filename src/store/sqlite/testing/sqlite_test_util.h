#pragma once
// Test fixture for SqliteStore tests: a fresh database in its own temp dir per test, plus
// helpers that create experiments and runs with deterministic ids.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "common/testing/test_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace ferry::store::sqlite::testing {

// A 32-hex-digit run id that sorts by `n`.
inline std::string RunId(int n) {
  char buf[33];
  std::snprintf(buf, sizeof(buf), "%032x", n);
  return buf;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = dir_ + "/ferry.db";
    auto store = SqliteStore::Create(db_path_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }
  void TearDown() override { store_.reset(); }

  std::string NewExperiment(const std::string& name, int64_t now_ms = 1000,
                            const std::vector<ExperimentTag>& tags = {}) {
    auto id = store_->CreateExperiment(name, "", "mlflow-artifacts:", tags, now_ms);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or("");
  }

  RunInfo MakeRunInfo(const std::string& experiment_id, int n, int64_t start_time) {
    RunInfo info;
    info.run_id = RunId(n);
    info.run_name = "run-" + std::to_string(n);
    info.experiment_id = experiment_id;
    info.user_id = "alice";
    info.start_time = start_time;
    info.artifact_uri = "mlflow-artifacts:/" + experiment_id + "/" + info.run_id + "/artifacts";
    return info;
  }

  // Creates run number `n` in `experiment_id` and returns its id.
  std::string NewRun(const std::string& experiment_id, int n, int64_t start_time = 1000,
                     const std::vector<RunTag>& tags = {}) {
    RunInfo info = MakeRunInfo(experiment_id, n, start_time);
    absl::Status s = store_->CreateRun(info, tags);
    EXPECT_TRUE(s.ok()) << s;
    return info.run_id;
  }

  void LogMetric(const std::string& run_id, const std::string& key, double value,
                 int64_t timestamp = 1, int64_t step = 0) {
    absl::Status s = store_->LogBatch(run_id, {{key, value, timestamp, step}}, {}, {});
    EXPECT_TRUE(s.ok()) << s;
  }

  ferry::testing::TestDir tmp_;
  std::string dir_ = tmp_.path();
  std::string db_path_;
  MetadataBackendPtr store_;
};

}  // namespace ferry::store::sqlite::testing
