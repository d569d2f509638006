// The UI's queries: metric histories of several runs, points at chosen steps, and the dataset
// summaries of experiments.

#include <cmath>
#include <string>

#include "store/sqlite/sqlite_internal.h"
#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite::testing {
namespace {

DatasetInput Input(const Dataset& d, const char* context) {
  DatasetInput in;
  in.dataset = d;
  if (context != nullptr) in.tags.push_back({"mlflow.data.context", context});
  return in;
}

class SqliteMetricBulkTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    exp_ = NewExperiment("bulk");
    a_ = NewRun(exp_, 2);
    b_ = NewRun(exp_, 1);
    // a: steps 0..4 at timestamps 10-s (descending), one NaN; b: steps 3 and 7.
    std::vector<Metric> ma;
    for (int s = 0; s < 5; ++s) ma.push_back({"loss", s == 2 ? NAN : s * 1.0, 10 - s, s});
    ASSERT_TRUE(store_->LogBatch(a_, ma, {}, {}).ok());
    ASSERT_TRUE(store_->LogBatch(b_, {{"loss", 3, 1, 3}, {"loss", 7, 2, 7}}, {}, {}).ok());
  }
  std::string exp_, a_, b_;
};

TEST_F(SqliteMetricBulkTest, HistoryBulkOrdersByRunThenTime) {
  auto all = store_->GetMetricHistoryBulk({a_, b_, "nope"}, "loss", -1);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 7u);
  EXPECT_EQ((*all)[0].run_id, b_);  // RunId(1) sorts first
  EXPECT_EQ((*all)[2].run_id, a_);
  EXPECT_EQ((*all)[2].metric.step, 4);  // a's earliest timestamp is step 4's
  EXPECT_TRUE(std::isnan((*all)[4].metric.value));
  auto two = store_->GetMetricHistoryBulk({a_, b_}, "loss", 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
}

TEST_F(SqliteMetricBulkTest, StepsAndPointsAtSteps) {
  auto steps = store_->GetMetricSteps(a_, "loss");
  ASSERT_TRUE(steps.ok());
  EXPECT_EQ(*steps, (std::vector<int64_t>{0, 1, 2, 3, 4}));
  auto none = store_->GetMetricSteps("nope", "loss");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto at = store_->GetMetricsAtSteps(a_, "loss", {4, 0, 9}, 25000);
  ASSERT_TRUE(at.ok()) << at.status();
  ASSERT_EQ(at->size(), 2u);
  EXPECT_EQ((*at)[0].step, 0);
  EXPECT_EQ((*at)[1].step, 4);
}

TEST_F(SqliteMetricBulkTest, PointsAfterStep) {
  // A later point at an earlier step, and a second point at step 4: ordered by step, time.
  ASSERT_TRUE(store_->LogBatch(a_, {{"loss", 40, 20, 4}, {"loss", 10, 30, 1}}, {}, {}).ok());
  auto after = store_->GetMetricsAfterStep(a_, "loss", 2, -1);
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ((*after)[0].step, 3);
  EXPECT_EQ((*after)[1].step, 4);
  EXPECT_EQ((*after)[1].timestamp, 6);
  EXPECT_EQ((*after)[2].value, 40);
  auto limited = store_->GetMetricsAfterStep(a_, "loss", -1, 2);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 2u);
  EXPECT_EQ((*limited)[0].step, 0);
  EXPECT_TRUE(store_->GetMetricsAfterStep(a_, "loss", 4, -1)->empty());
  EXPECT_TRUE(store_->GetMetricsAfterStep("nope", "loss", -1, -1)->empty());
  EXPECT_TRUE(store_->GetMetricsAfterStep(b_, "acc", -1, -1)->empty());
}

// The read is a range scan of the (run, key, step) index that covers it, not a read of the
// run's whole history (the primary key leads with run, key, timestamp).
TEST_F(SqliteMetricBulkTest, PointsAfterStepScanTheStepIndex) {
  auto conn = Connection::Open(db_path_, ConnectionRole::kReader);
  ASSERT_TRUE(conn.ok()) << conn.status();
  auto st = (*conn)->Prepare(std::string("EXPLAIN QUERY PLAN ") + kMetricsAfterStepSql);
  ASSERT_TRUE(st.ok()) << st.status();
  std::string plan;
  while (st->Step().value_or(false)) plan += st->Text(3) + "\n";
  EXPECT_THAT(plan,
              ::testing::HasSubstr(
                  "USING COVERING INDEX metrics_run_key_step (run_uuid=? AND key=? AND step>?)"));
  EXPECT_THAT(plan, ::testing::Not(::testing::HasSubstr("TEMP B-TREE")));
}

TEST_F(SqliteMetricBulkTest, DatasetSummaries) {
  Dataset train{"train", "d1", "local", "{}", std::nullopt, std::nullopt};
  Dataset eval{"eval", "d2", "local", "{}", std::nullopt, std::nullopt};
  ASSERT_TRUE(store_->LogInputs(a_, {Input(train, "training")}).ok());
  ASSERT_TRUE(store_->LogInputs(b_, {Input(eval, nullptr), Input(train, "training")}).ok());
  std::string other = NewExperiment("other");
  auto got = store_->SearchDatasetSummaries({std::stoll(exp_), std::stoll(other)}, 1000);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);  // train/training once although two runs used it
  EXPECT_EQ((*got)[0].name, "eval");
  EXPECT_FALSE((*got)[0].context.has_value());
  EXPECT_EQ((*got)[1].experiment_id, exp_);
  EXPECT_EQ((*got)[1].context.value_or(""), "training");
  auto limited = store_->SearchDatasetSummaries({std::stoll(exp_)}, 1);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->size(), 1u);
}

}  // namespace
}  // namespace ferry::store::sqlite::testing
