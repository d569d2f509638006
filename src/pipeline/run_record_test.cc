#include "pipeline/run_record.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <optional>

#include "common/process.h"
#include "common/testing/test_dir.h"

namespace ferry::pipeline {
namespace {

PipelineRun Sample() {
  PipelineRun run;
  run.id = "20261207-010203-abcdef";
  run.pipeline = "demo";
  run.file = "pipeline.yaml";
  run.state = RunState::kFailed;
  run.started_ms = 1000;
  run.ended_ms = 2000;
  run.pid = 42;
  run.parameters = {{"lr", "0.1"}};
  run.trigger = "registry: model_version.created bc v3";
  run.folded_triggers = {"registry: model_version.created bc v4", "schedule: @daily"};
  StepRun step;
  step.name = "train";
  step.kind = "train";
  step.executor = "local";
  step.state = StepState::kCached;
  step.attempts = 2;
  step.cache_hit = true;
  step.cache_key = "sha256:k";
  step.started_ms = 1100;
  step.ended_ms = 1900;
  step.exit_code = 3;
  step.reason = "why \"quoted\"\n";
  step.input_digests = {{"data", "sha256:d"}};
  step.output_digests = {{"package", "sha256:p"}};
  step.log_path = "/l";
  step.work_dir = "/w";
  step.mlflow_run_id = "m";
  run.steps = {step};
  return run;
}

TEST(RunRecord, JsonRoundTrip) {
  auto back = RunFromJson(RunToJson(Sample()));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(RunToJson(*back), RunToJson(Sample()));
  EXPECT_EQ(back->steps[0].state, StepState::kCached);
  EXPECT_EQ(back->trigger, "registry: model_version.created bc v3");
  EXPECT_EQ(back->folded_triggers.size(), 2u);
  EXPECT_EQ(back->steps[0].reason, "why \"quoted\"\n");
  EXPECT_EQ(RunFromJson("[1]").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RunStore, SavesListsCancelsAndSpotsOrphans) {
  testing::TestDir dir;
  RunStore store(dir.path());
  auto id = store.NewRun();
  ASSERT_TRUE(id.ok());
  PipelineRun run = Sample();
  run.id = *id;
  run.state = RunState::kRunning;
  run.pid = static_cast<int>(::getpid());
  ASSERT_TRUE(store.Save(run).ok());
  ASSERT_EQ(store.List().size(), 1u);
  EXPECT_FALSE(RunStore::Orphaned(run));
  EXPECT_FALSE(store.CancelRequested(*id));
  ASSERT_TRUE(store.RequestCancel(*id).ok());
  EXPECT_TRUE(store.CancelRequested(*id));
  EXPECT_EQ(store.Load("nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store.Load("../x").status().code(), absl::StatusCode::kInvalidArgument);

  auto child = SpawnProcess({"/bin/true"}, SpawnOptions{});  // a pid that is surely gone
  ASSERT_TRUE(child.ok());
  while (!TryReapProcess(*child)) usleep(1000);
  run.pid = *child;
  run.steps[0].state = StepState::kRunning;
  EXPECT_TRUE(RunStore::Orphaned(run));
  // A step the dead runner left behind, and a grandchild of it; another run's step stays.
  SpawnOptions step;
  step.extra_env["FERRY_PIPELINE_RUN"] = *id;
  auto left = SpawnProcess({"sh", "-c", "sleep 60 & wait"}, step);
  step.extra_env["FERRY_PIPELINE_RUN"] = *id + "x";
  auto other = SpawnProcess({"sleep", "60"}, step);
  ASSERT_TRUE(left.ok() && other.ok());
  for (int i = 0; i < 200 && ProcessesWithEnv("FERRY_PIPELINE_RUN=" + *id).size() < 2; ++i) {
    usleep(10000);
  }
  ASSERT_EQ(ProcessesWithEnv("FERRY_PIPELINE_RUN=" + *id).size(), 2u);
  ASSERT_TRUE(store.EndOrphan(run).ok());
  std::optional<int> status;
  for (int i = 0; i < 500 && !status; ++i) {
    status = TryReapProcess(*left);
    if (!status) usleep(10000);
  }
  EXPECT_TRUE(status.has_value()) << "the left-over step still runs";
  EXPECT_TRUE(ProcessesWithEnv("FERRY_PIPELINE_RUN=" + *id).empty());
  EXPECT_FALSE(TryReapProcess(*other).has_value()) << "another run's step was stopped";
  SignalProcess(*other, SIGKILL);
  while (!TryReapProcess(*other)) usleep(1000);
  auto ended = store.Load(*id);
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(ended->state, RunState::kCancelled);
  EXPECT_EQ(ended->steps[0].state, StepState::kCancelled);
  EXPECT_FALSE(RunStore::Orphaned(*ended));
}

}  // namespace
}  // namespace ferry::pipeline
