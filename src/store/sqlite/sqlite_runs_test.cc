// Runs: create/get/update/delete, tags, params and dataset inputs.

#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite::testing {
namespace {

using ::testing::HasSubstr;

class SqliteRunsTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    exp_ = NewExperiment("runs");
  }
  std::string exp_;
};

TEST_F(SqliteRunsTest, CreateAndGetRun) {
  RunInfo info = MakeRunInfo(exp_, 1, 1500);
  ASSERT_TRUE(store_->CreateRun(info, {{"mlflow.user", "alice"}}).ok());
  auto run = store_->GetRun(info.run_id);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->info.run_id, info.run_id);
  EXPECT_EQ(run->info.run_name, "run-1");
  EXPECT_EQ(run->info.experiment_id, exp_);
  EXPECT_EQ(run->info.user_id, "alice");
  EXPECT_EQ(run->info.status, RunStatus::kRunning);
  EXPECT_EQ(run->info.start_time, 1500);
  EXPECT_FALSE(run->info.end_time.has_value());
  EXPECT_EQ(run->info.artifact_uri, info.artifact_uri);
  EXPECT_EQ(run->info.lifecycle_stage, LifecycleStage::kActive);
  EXPECT_EQ(run->data.tags,
            (std::vector<RunTag>{{"mlflow.runName", "run-1"}, {"mlflow.user", "alice"}}));
  EXPECT_TRUE(run->data.metrics.empty());
  EXPECT_EQ(store_->CreateRun(info, {}).code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(SqliteRunsTest, CreateRunChecksExperimentAndName) {
  EXPECT_EQ(store_->CreateRun(MakeRunInfo("99", 1, 1), {}),
            absl::NotFoundError("No Experiment with id=99 exists"));
  RunInfo from_tag = MakeRunInfo(exp_, 2, 1);
  from_tag.run_name = "";
  ASSERT_TRUE(store_->CreateRun(from_tag, {{"mlflow.runName", "tagged"}}).ok());
  EXPECT_EQ(store_->GetRun(from_tag.run_id)->info.run_name, "tagged");
  absl::Status conflict = store_->CreateRun(MakeRunInfo(exp_, 3, 1), {{"mlflow.runName", "x"}});
  EXPECT_EQ(conflict.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(conflict.message(), HasSubstr("Both 'run_name' argument and 'mlflow.runName' tag"));
  ASSERT_TRUE(store_->SetExperimentLifecycle(exp_, LifecycleStage::kDeleted, 1).ok());
  EXPECT_EQ(store_->CreateRun(MakeRunInfo(exp_, 4, 1), {}),
            absl::InvalidArgumentError("The experiment " + exp_ +
                                       " must be in the 'active' state. Current state is "
                                       "deleted."));
}

TEST_F(SqliteRunsTest, GetUnknownRun) {
  EXPECT_EQ(store_->GetRun("nope").status(), absl::NotFoundError("Run with id=nope not found"));
}

TEST_F(SqliteRunsTest, UpdateRun) {
  std::string run = NewRun(exp_, 1);
  auto info = store_->UpdateRun(run, RunStatus::kFinished, 9000, "renamed");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->status, RunStatus::kFinished);
  EXPECT_EQ(info->end_time, 9000);
  EXPECT_EQ(info->run_name, "renamed");
  auto got = store_->GetRun(run);
  EXPECT_EQ(got->info.status, RunStatus::kFinished);
  EXPECT_EQ(got->info.run_name, "renamed");
  EXPECT_EQ(got->data.tags, (std::vector<RunTag>{{"mlflow.runName", "renamed"}}));
  auto unchanged = store_->UpdateRun(run, std::nullopt, std::nullopt, std::nullopt);
  EXPECT_EQ(unchanged->run_name, "renamed");
  EXPECT_EQ(unchanged->end_time, 9000);
  EXPECT_EQ(store_->UpdateRun("nope", std::nullopt, std::nullopt, std::nullopt).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(SqliteRunsTest, WritesToDeletedRunAreRejected) {
  std::string run = NewRun(exp_, 1);
  ASSERT_TRUE(store_->SetRunLifecycle(run, LifecycleStage::kDeleted, 5).ok());
  EXPECT_EQ(store_->GetRun(run)->info.lifecycle_stage, LifecycleStage::kDeleted);
  absl::Status want = absl::InvalidArgumentError(
      "The run " + run + " must be in the 'active' state. Current state is deleted.");
  EXPECT_EQ(store_->LogBatch(run, {{"m", 1, 1, 0}}, {}, {}), want);
  EXPECT_EQ(store_->UpdateRun(run, RunStatus::kFailed, 1, std::nullopt).status(), want);
  EXPECT_EQ(store_->DeleteRunTag(run, "mlflow.runName"), want);
  EXPECT_EQ(store_->LogInputs(run, {}), want);
  ASSERT_TRUE(store_->SetRunLifecycle(run, LifecycleStage::kActive, 6).ok());
  EXPECT_TRUE(store_->LogBatch(run, {{"m", 1, 1, 0}}, {}, {}).ok());
  EXPECT_EQ(store_->SetRunLifecycle("nope", LifecycleStage::kDeleted, 1),
            absl::NotFoundError("Run with id=nope not found"));
  EXPECT_EQ(store_->LogBatch("nope", {}, {}, {}),
            absl::NotFoundError("Run with id=nope not found"));
}

TEST_F(SqliteRunsTest, ParamsCannotChange) {
  std::string run = NewRun(exp_, 1);
  ASSERT_TRUE(store_->LogBatch(run, {}, {{"lr", "0.1"}}, {}).ok());
  EXPECT_TRUE(store_->LogBatch(run, {}, {{"lr", "0.1"}}, {}).ok());  // same value: fine
  EXPECT_EQ(store_->LogBatch(run, {}, {{"lr", "0.2"}}, {}),
            absl::InvalidArgumentError(
                "Changing param values is not allowed. Param with key='lr' was already logged "
                "with value='0.1' for run ID='" +
                run + "'. Attempted logging new value '0.2'."));
  absl::Status dup = store_->LogBatch(run, {}, {{"a", "1"}, {"a", "2"}}, {});
  EXPECT_EQ(dup.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(dup.message(), HasSubstr("Duplicate parameter keys"));
  EXPECT_TRUE(store_->LogBatch(run, {}, {{"b", "1"}, {"b", "1"}}, {}).ok());
  EXPECT_EQ(store_->GetRun(run)->data.params, (std::vector<Param>{{"b", "1"}, {"lr", "0.1"}}));
}

TEST_F(SqliteRunsTest, FailedBatchWritesNothing) {
  std::string run = NewRun(exp_, 1);
  ASSERT_TRUE(store_->LogBatch(run, {}, {{"p", "1"}}, {}).ok());
  absl::Status s =
      store_->LogBatch(run, {{"m", 1, 1, 0}}, {{"q", "new"}, {"p", "2"}}, {{"t", "x"}});
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  auto got = store_->GetRun(run);
  EXPECT_EQ(got->data.params, (std::vector<Param>{{"p", "1"}}));
  EXPECT_TRUE(got->data.metrics.empty());
  EXPECT_EQ(got->data.tags.size(), 1u);  // only mlflow.runName
}

TEST_F(SqliteRunsTest, TagsUpsertRenameAndDelete) {
  std::string run = NewRun(exp_, 1);
  ASSERT_TRUE(store_->LogBatch(run, {}, {}, {{"t", "1"}, {"t", "2"}}).ok());
  ASSERT_TRUE(store_->LogBatch(run, {}, {}, {{"mlflow.runName", "via-tag"}}).ok());
  auto got = store_->GetRun(run);
  EXPECT_EQ(got->info.run_name, "via-tag");
  EXPECT_EQ(got->data.tags, (std::vector<RunTag>{{"mlflow.runName", "via-tag"}, {"t", "2"}}));
  ASSERT_TRUE(store_->DeleteRunTag(run, "t").ok());
  EXPECT_EQ(store_->GetRun(run)->data.tags.size(), 1u);
  EXPECT_EQ(store_->DeleteRunTag(run, "t"),
            absl::NotFoundError("No tag with name: t in run with id " + run));
  EXPECT_EQ(store_->DeleteRunTag("nope", "t").code(), absl::StatusCode::kNotFound);
}

DatasetInput MakeInput(const std::string& name, const std::string& digest,
                       const std::string& context) {
  DatasetInput in;
  in.dataset = {name, digest, "local", "file:///data/" + name, "{\"s\":1}", std::nullopt};
  if (!context.empty()) in.tags.push_back({"mlflow.data.context", context});
  return in;
}

TEST_F(SqliteRunsTest, LogInputs) {
  std::string r1 = NewRun(exp_, 1);
  std::string r2 = NewRun(exp_, 2);
  ASSERT_TRUE(
      store_->LogInputs(r1, {MakeInput("train", "d1", "training"), MakeInput("eval", "d2", "")})
          .ok());
  ASSERT_TRUE(store_->LogInputs(r1, {MakeInput("train", "d1", "other")}).ok());  // no-op
  ASSERT_TRUE(store_->LogInputs(r2, {MakeInput("train", "d1", "testing")}).ok());
  auto got = store_->GetRun(r1);
  ASSERT_EQ(got->inputs.size(), 2u);
  EXPECT_EQ(got->inputs[0].dataset.name, "train");
  EXPECT_EQ(got->inputs[0].dataset.digest, "d1");
  EXPECT_EQ(got->inputs[0].dataset.source_type, "local");
  EXPECT_EQ(got->inputs[0].dataset.schema, "{\"s\":1}");
  EXPECT_FALSE(got->inputs[0].dataset.profile.has_value());
  EXPECT_EQ(got->inputs[0].tags, (std::vector<InputTag>{{"mlflow.data.context", "training"}}));
  EXPECT_EQ(got->inputs[1].dataset.name, "eval");
  EXPECT_TRUE(got->inputs[1].tags.empty());
  auto other = store_->GetRun(r2);
  ASSERT_EQ(other->inputs.size(), 1u);
  EXPECT_EQ(other->inputs[0].tags, (std::vector<InputTag>{{"mlflow.data.context", "testing"}}));
  EXPECT_EQ(store_->LogInputs("nope", {}).code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace ferry::store::sqlite::testing
