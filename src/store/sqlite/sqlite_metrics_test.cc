// Metrics: history, deduplication, the latest-value rule, NaN and infinities.

#include <cmath>
#include <limits>

#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite::testing {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMax = std::numeric_limits<double>::max();

class SqliteMetricsTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    run_ = NewRun(NewExperiment("metrics"), 1);
  }
  std::vector<Metric> History(const std::string& key) {
    auto page = store_->GetMetricHistory(run_, key, 0, 0);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->items : std::vector<Metric>{};
  }
  Metric Latest(const std::string& key) {
    auto run = store_->GetRun(run_);
    if (!run.ok()) {
      ADD_FAILURE() << run.status();
      return {};
    }
    for (const Metric& m : run->data.metrics) {
      if (m.key == key) return m;
    }
    ADD_FAILURE() << "no latest metric " << key;
    return {};
  }
  std::string run_;
};

TEST_F(SqliteMetricsTest, LatestValueRule) {
  // (value, timestamp, step) logged in order -> the expected latest (value, timestamp, step).
  struct Case {
    std::string name;
    std::vector<Metric> batches;  // each logged in its own LogBatch
    Metric want;
  } cases[] = {
      {"higher step wins over later time", {{"", 1, 100, 2}, {"", 2, 200, 1}}, {"", 1, 100, 2}},
      {"same step: later timestamp", {{"", 5, 100, 1}, {"", 3, 200, 1}}, {"", 3, 200, 1}},
      {"same step and time: max value",
       {{"", 5, 100, 1}, {"", 7, 100, 1}, {"", 6, 100, 1}},
       {"", 7, 100, 1}},
      {"older point logged later is ignored", {{"", 1, 500, 9}, {"", 2, 100, 3}}, {"", 1, 500, 9}},
  };
  int n = 0;
  for (const Case& c : cases) {
    std::string key = "m" + std::to_string(n++);
    for (Metric m : c.batches) {
      m.key = key;
      ASSERT_TRUE(store_->LogBatch(run_, {m}, {}, {}).ok()) << c.name;
    }
    Metric got = Latest(key);
    EXPECT_EQ(got.value, c.want.value) << c.name;
    EXPECT_EQ(got.timestamp, c.want.timestamp) << c.name;
    EXPECT_EQ(got.step, c.want.step) << c.name;
  }
}

TEST_F(SqliteMetricsTest, LatestValueWithinOneBatch) {
  ASSERT_TRUE(
      store_->LogBatch(run_, {{"a", 1, 10, 3}, {"a", 9, 20, 2}, {"a", 4, 5, 3}}, {}, {}).ok());
  Metric got = Latest("a");
  EXPECT_EQ(got.value, 1);
  EXPECT_EQ(got.timestamp, 10);
  EXPECT_EQ(got.step, 3);
}

TEST_F(SqliteMetricsTest, IdenticalRowsAreDeduplicated) {
  ASSERT_TRUE(store_->LogBatch(run_, {{"m", 1.5, 10, 1}, {"m", 1.5, 10, 1}}, {}, {}).ok());
  ASSERT_TRUE(store_->LogBatch(run_, {{"m", 1.5, 10, 1}}, {}, {}).ok());
  EXPECT_EQ(History("m").size(), 1u);
  // A different value at the same step and time is a separate point.
  ASSERT_TRUE(store_->LogBatch(run_, {{"m", 2.5, 10, 1}}, {}, {}).ok());
  EXPECT_EQ(History("m").size(), 2u);
}

TEST_F(SqliteMetricsTest, NaNAndInfinity) {
  ASSERT_TRUE(store_
                  ->LogBatch(run_,
                             {{"nan", kNaN, 1, 0},
                              {"pinf", kInf, 1, 0},
                              {"ninf", -kInf, 1, 0},
                              {"zero", 0.0, 1, 0}},
                             {}, {})
                  .ok());
  // NaN and a real 0 at the same point are different rows.
  ASSERT_TRUE(store_->LogBatch(run_, {{"nan", 0.0, 1, 0}}, {}, {}).ok());
  std::vector<Metric> nan_history = History("nan");
  ASSERT_EQ(nan_history.size(), 2u);
  EXPECT_EQ(nan_history[0].value, 0.0);
  EXPECT_TRUE(std::isnan(nan_history[1].value));
  EXPECT_EQ(History("pinf")[0].value, kMax);
  EXPECT_EQ(History("ninf")[0].value, -kMax);
  EXPECT_EQ(Latest("pinf").value, kMax);
  EXPECT_EQ(Latest("ninf").value, -kMax);
  ASSERT_TRUE(store_->LogBatch(run_, {{"only_nan", kNaN, 1, 0}}, {}, {}).ok());
  EXPECT_TRUE(std::isnan(Latest("only_nan").value));
}

TEST_F(SqliteMetricsTest, HistoryOrderAndPaging) {
  std::vector<Metric> batch;
  for (int i = 9; i >= 0; --i) batch.push_back({"h", static_cast<double>(i), 100 + i / 2, i});
  ASSERT_TRUE(store_->LogBatch(run_, batch, {}, {}).ok());
  std::vector<Metric> all = History("h");
  ASSERT_EQ(all.size(), 10u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].key, "h");
    EXPECT_EQ(all[i].step, static_cast<int64_t>(i));  // ordered by (timestamp, step, value)
  }
  std::vector<Metric> paged;
  int64_t offset = 0;
  while (true) {
    auto page = store_->GetMetricHistory(run_, "h", 3, offset);
    ASSERT_TRUE(page.ok()) << page.status();
    paged.insert(paged.end(), page->items.begin(), page->items.end());
    if (!page->has_more) break;
    offset = page->next_offset;
  }
  ASSERT_EQ(paged.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(paged[i].step, all[i].step);
  EXPECT_TRUE(History("missing").empty());
  EXPECT_EQ(store_->GetMetricHistory(run_, "h", 3, -1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ferry::store::sqlite::testing
