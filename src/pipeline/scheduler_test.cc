#include "pipeline/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "common/fs.h"
#include "common/testing/test_dir.h"

namespace ferry::pipeline {
namespace {

// Runs nothing: a job stays running for `polls` polls, then writes every argv word that is a
// path under its work dir (the step's outputs), and ends as
// the script says for "<step>.<attempt>" (default: succeeded).
class FakeExecutor : public Executor {
 public:
  const char* name() const override { return "local"; }
  absl::StatusOr<std::string> Submit(const StepJob& job) override {
    const std::string handle = std::to_string(jobs_.size());
    jobs_.push_back({job, 0, false, false, {}});
    submitted.push_back(job.id);
    envs[job.id] = job.env;
    running_ += 1;
    max_running = std::max(max_running, running_);
    return handle;
  }
  absl::StatusOr<JobStatus> Poll(const std::string& handle) override {
    if (unavailable_polls > 0) {
      --unavailable_polls;
      return absl::UnavailableError("squeue: timed out");
    }
    Job& job = jobs_[std::stoul(handle)];
    if (job.done) return job.status;
    if (!job.cancelled && ++job.polls < polls) return JobStatus{JobState::kRunning, 0, ""};
    job.done = true;
    running_ -= 1;
    const std::string id = job.spec.id;  // run.step.attempt
    const std::string step_attempt = id.substr(id.find('.') + 1);
    JobState state = job.cancelled ? JobState::kCancelled : JobState::kSucceeded;
    if (auto it = script.find(step_attempt); it != script.end() && !job.cancelled)
      state = it->second;
    if ((state == JobState::kSucceeded || write_on_failure) && !no_write.count(step_attempt)) {
      // What a real step would write: its words, with its inputs' contents for their paths.
      std::string content;
      for (const std::string& a : job.spec.argv) {
        absl::StatusOr<std::string> file = ReadFile(a);
        content += (file.ok() ? *file : a.rfind(job.spec.work_dir, 0) == 0 ? "out" : a) + " ";
      }
      for (const std::string& a : job.spec.argv) {
        if (a.rfind(job.spec.work_dir + "/", 0) == 0) (void)WriteFileAtomic(a, content);
      }
    }
    job.status = {state, state == JobState::kSucceeded ? 0 : 1, ""};
    return job.status;
  }
  // Poll answers kUnavailable this many times first (an executor's hiccups).
  int unavailable_polls = 0;
  bool write_on_failure = false;   // failed attempts leave their outputs behind
  std::set<std::string> no_write;  // "step.attempt"s that succeed without writing
  absl::Status Cancel(const std::string& handle) override {
    jobs_[std::stoul(handle)].cancelled = true;
    return absl::OkStatus();
  }

  std::map<std::string, JobState> script;
  std::vector<std::string> submitted;                              // job ids
  std::map<std::string, std::map<std::string, std::string>> envs;  // by job id
  int polls = 2;
  int max_running = 0;

 private:
  struct Job {
    StepJob spec;
    int polls;
    bool cancelled;
    bool done = false;
    JobStatus status;
  };
  std::vector<Job> jobs_;
  int running_ = 0;
};

constexpr char kSpec[] = R"(name: t
parameters:
  n: "1"
  m: "1"
steps:
  a: {kind: command, argv: [gen, "${params.n}", "${outputs.o}"], outputs: [o]}
  b: {kind: command, argv: [gen, "${inputs.i}", "${outputs.o}"], outputs: [o],
      inputs: {i: steps.a.outputs.o}, retries: 2}
  c: {kind: command, argv: [gen, "${params.m}", "${outputs.o}"], outputs: [o]}
  d: {kind: command, argv: [gen, "${inputs.x}", "${inputs.y}", "${outputs.o}"], outputs: [o],
      inputs: {x: steps.b.outputs.o, y: steps.c.outputs.o}}
  e: {kind: command, argv: [gen, "${outputs.o}"], outputs: [o]}
)";

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto spec = ParsePipelineSpec(kSpec, "p.yaml", dir_.path());
    ASSERT_TRUE(spec.ok()) << spec.status();
    spec_ = *spec;
  }
  PipelineRun Run(std::map<std::string, std::string> params = {}, bool use_cache = true,
                  int concurrency = 4, const std::atomic<bool>* cancel = nullptr) {
    SchedulerOptions options;
    options.use_cache = use_cache;
    options.concurrency = concurrency;
    options.poll_interval = std::chrono::milliseconds(1);
    options.cancel = cancel;
    Scheduler scheduler(spec_, {{"local", &exec_}}, runs_, cache_, options);
    auto run = scheduler.Run(params, nullptr);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : PipelineRun{};
  }
  static const StepRun& Step(const PipelineRun& run, const std::string& name) {
    return *std::find_if(run.steps.begin(), run.steps.end(),
                         [&](const StepRun& s) { return s.name == name; });
  }
  std::vector<std::string> Ran(size_t from = 0) const {
    std::vector<std::string> names;
    for (size_t i = from; i < exec_.submitted.size(); ++i) {
      const std::string& id = exec_.submitted[i];
      names.push_back(id.substr(id.find('.') + 1));
    }
    return names;
  }

  testing::TestDir dir_;
  PipelineSpec spec_;
  FakeExecutor exec_;
  RunStore runs_{dir_.path() + "/state"};
  StepCache cache_{dir_.path() + "/state"};
};

TEST_F(SchedulerTest, RunsInDependencyOrderWithParallelBranchesUpToTheLimit) {
  PipelineRun run = Run({}, true, 2);
  EXPECT_EQ(run.state, RunState::kSucceeded);
  const std::vector<std::string> ran = Ran();
  auto pos = [&](const std::string& s) {
    return std::find(ran.begin(), ran.end(), s) - ran.begin();
  };
  EXPECT_LT(pos("a.1"), pos("b.1"));
  EXPECT_LT(pos("b.1"), pos("d.1"));
  EXPECT_LT(pos("c.1"), pos("d.1"));
  EXPECT_EQ(exec_.max_running, 2);  // a, c and e are ready at once; the limit holds them to 2
  auto saved = runs_.Load(run.id);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->state, RunState::kSucceeded);
  EXPECT_EQ(Step(*saved, "d").input_digests.size(), 2u);
}

TEST_F(SchedulerTest, SecondRunIsAllCacheHitsAndAParameterRerunsOnlyItsDependants) {
  Run();
  const size_t first = exec_.submitted.size();
  PipelineRun again = Run();
  EXPECT_EQ(exec_.submitted.size(), first);
  for (const StepRun& s : again.steps) {
    EXPECT_EQ(s.state, StepState::kCached) << s.name;
    EXPECT_TRUE(s.cache_hit);
  }
  PipelineRun changed = Run({{"m", "2"}});
  EXPECT_EQ(Ran(first), (std::vector<std::string>{"c.1", "d.1"}));
  EXPECT_EQ(Step(changed, "a").state, StepState::kCached);
  EXPECT_EQ(Step(changed, "d").state, StepState::kSucceeded);
  Run({}, /*use_cache=*/false);
  EXPECT_EQ(exec_.submitted.size(), first + 2 + 5);
}

TEST_F(SchedulerTest, AParameterValueIsTextEvenWhenItLooksLikeAReference) {
  PipelineRun run = Run({{"n", "${outputs.o}"}});
  ASSERT_EQ(run.state, RunState::kSucceeded);
  EXPECT_EQ(*ReadFile(Step(run, "a").work_dir + "/o"), "gen ${outputs.o} out ");
}

TEST_F(SchedulerTest, RetriesCountAttemptsAndAFailureSkipsOnlyDependants) {
  exec_.script = {{"b.1", JobState::kFailed}, {"b.2", JobState::kTimedOut}};
  PipelineRun run = Run();
  EXPECT_EQ(run.state, RunState::kSucceeded);
  EXPECT_EQ(Step(run, "b").attempts, 3);

  exec_.script = {{"c.1", JobState::kFailed}};
  PipelineRun failed = Run({{"m", "3"}});
  EXPECT_EQ(failed.state, RunState::kFailed);
  EXPECT_EQ(Step(failed, "c").state, StepState::kFailed);
  EXPECT_EQ(Step(failed, "c").reason, "attempt 1: exit 1");
  EXPECT_EQ(Step(failed, "d").state, StepState::kSkipped);
  EXPECT_EQ(Step(failed, "d").reason, "upstream step c failed");
  EXPECT_EQ(Step(failed, "b").state, StepState::kCached);  // independent branch finished
}

// scancel or a pre-emption ends a job as cancelled while the run goes on: that attempt failed,
// and the step's dependants are skipped (they used to stay pending, and the run never ended).
TEST_F(SchedulerTest, AJobCancelledOutsideTheRunFailsItsStep) {
  exec_.script = {{"c.1", JobState::kCancelled}};
  PipelineRun run = Run();
  EXPECT_EQ(run.state, RunState::kFailed);
  EXPECT_EQ(Step(run, "c").state, StepState::kFailed);
  EXPECT_EQ(Step(run, "c").reason, "attempt 1: cancelled by the executor, not by this run");
  EXPECT_EQ(Step(run, "d").state, StepState::kSkipped);
  EXPECT_EQ(Step(run, "e").state, StepState::kSucceeded);
}

// A retry must not pass on what the failed attempt left: an attempt that exits 0 without
// writing its output fails, instead of caching the stale file.
TEST_F(SchedulerTest, ARetryDoesNotInheritTheFailedAttemptsOutputs) {
  exec_.write_on_failure = true;
  exec_.script = {{"a.1", JobState::kFailed}};
  exec_.no_write = {"a.2"};
  spec_.steps[0].retries = 1;
  PipelineRun run = Run();
  EXPECT_EQ(Step(run, "a").attempts, 2);
  EXPECT_EQ(Step(run, "a").state, StepState::kFailed);
  EXPECT_NE(Step(run, "a").reason.find("did not write its output o"), std::string::npos)
      << Step(run, "a").reason;
}

// A parameter that reaches a command only through its env is part of the step's cache key.
TEST_F(SchedulerTest, AParameterInEnvChangesTheKey) {
  spec_.steps[4].env = {{"N", "${params.n}"}};  // e: its argv does not use n
  Run();
  PipelineRun same = Run();
  EXPECT_EQ(Step(same, "e").state, StepState::kCached);
  PipelineRun changed = Run({{"n", "2"}});
  EXPECT_EQ(Step(changed, "e").state, StepState::kSucceeded);
}

// Lineage: each step learns its pipeline run, its name and the pipeline's MLflow run (set by
// the recorder when the run starts), and the record says where each input came from.
TEST_F(SchedulerTest, StepsGetThePipelinesRunsInTheirEnvironmentAndInputsTheirSources) {
  ASSERT_TRUE(WriteFileAtomic(dir_.path() + "/data.csv", "x\n").ok());
  InputSpec data;
  data.path = "data.csv";  // e reads a file of the project
  spec_.steps[4].inputs["data"] = data;
  class Recorder : public RunObserver {
   public:
    void OnRunStarted(PipelineRun& run) override { run.mlflow_run_id = "parent-1"; }
    void OnStepChanged(PipelineRun&, StepRun&) override {}
    void OnRunFinished(PipelineRun&) override {}
  } recorder;
  SchedulerOptions options;
  options.poll_interval = std::chrono::milliseconds(1);
  Scheduler scheduler(spec_, {{"local", &exec_}}, runs_, cache_, options);
  auto run = scheduler.Run({}, &recorder);
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(exec_.envs.size(), 5u);
  for (const auto& [job, env] : exec_.envs) {
    EXPECT_EQ(env.at("FERRY_PIPELINE_RUN"), run->id) << job;
    EXPECT_EQ(env.at("FERRY_PIPELINE_MLFLOW_RUN"), "parent-1") << job;
    EXPECT_EQ(run->id + "." + env.at("FERRY_PIPELINE_STEP") + ".1", job);
  }
  EXPECT_EQ(Step(*run, "b").input_sources.at("i"), "steps.a.outputs.o");
  EXPECT_EQ(Step(*run, "e").input_sources.at("data"), dir_.path() + "/data.csv");
  // Without a tracked run there is no MLflow run to name.
  PipelineRun untracked = Run({}, false);
  for (const auto& [job, env] : exec_.envs) {
    if (job.rfind(untracked.id, 0) == 0) {
      EXPECT_EQ(env.count("FERRY_PIPELINE_MLFLOW_RUN"), 0u) << job;
    }
  }
}

TEST_F(SchedulerTest, PollHiccupsAreNotFailures) {
  exec_.unavailable_polls = 5;
  PipelineRun run = Run();
  EXPECT_EQ(run.state, RunState::kSucceeded);
  EXPECT_EQ(exec_.submitted.size(), 5u);  // no step submitted twice
}

TEST_F(SchedulerTest, CancelStopsRunningStepsAndMarksTheRest) {
  exec_.polls = 1000000;  // nothing finishes by itself
  std::atomic<bool> cancel{true};
  PipelineRun run = Run({}, true, 4, &cancel);
  EXPECT_EQ(run.state, RunState::kCancelled);
  for (const StepRun& s : run.steps) EXPECT_EQ(s.state, StepState::kCancelled) << s.name;
}

TEST_F(SchedulerTest, CancelMarkerFromAnotherProcessCancelsToo) {
  exec_.polls = 1000000;
  std::atomic<bool> cancel{false};
  SchedulerOptions options;
  options.poll_interval = std::chrono::milliseconds(1);
  options.cancel = &cancel;
  // The marker is written as soon as the run record exists.
  class Canceller : public RunObserver {
   public:
    explicit Canceller(RunStore& runs) : runs_(runs) {}
    void OnRunStarted(PipelineRun& run) override { (void)runs_.RequestCancel(run.id); }
    void OnStepChanged(PipelineRun&, StepRun&) override {}
    void OnRunFinished(PipelineRun&) override {}
    RunStore& runs_;
  } canceller(runs_);
  Scheduler scheduler(spec_, {{"local", &exec_}}, runs_, cache_, options);
  auto run = scheduler.Run({}, &canceller);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->state, RunState::kCancelled);
}

TEST_F(SchedulerTest, SignStepsAlwaysRunAndProgressIsReported) {
  ASSERT_TRUE(WriteFileAtomic(dir_.path() + "/key.pem", "key").ok());
  auto spec = ParsePipelineSpec(R"(name: s
steps:
  build: {kind: command, argv: [gen, "${outputs.p}"], outputs: [p]}
  sign: {kind: sign, inputs: {package: steps.build.outputs.p, key: key.pem}}
)",
                                "p.yaml", dir_.path());
  ASSERT_TRUE(spec.ok()) << spec.status();
  spec_ = *spec;
  class Ticks : public RunObserver {
   public:
    void OnRunStarted(PipelineRun&) override {}
    void OnStepChanged(PipelineRun&, StepRun&) override {}
    void OnRunFinished(PipelineRun&) override {}
    void OnProgress(PipelineRun&) override { ++ticks; }
    int ticks = 0;
  } ticks;
  SchedulerOptions options;
  options.poll_interval = std::chrono::milliseconds(1);
  options.progress_interval = std::chrono::milliseconds(0);
  for (int i = 0; i < 2; ++i) {
    Scheduler scheduler(spec_, {{"local", &exec_}}, runs_, cache_, options);
    auto run = scheduler.Run({}, &ticks);
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(Step(*run, "build").state, i == 0 ? StepState::kSucceeded : StepState::kCached);
    EXPECT_EQ(Step(*run, "sign").state, StepState::kSucceeded);
  }
  EXPECT_GT(ticks.ticks, 0);
  EXPECT_EQ(Ran(), (std::vector<std::string>{"build.1", "sign.1", "sign.1"}));
}

}  // namespace
}  // namespace ferry::pipeline
