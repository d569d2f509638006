// The Slurm executor against a real cluster: run by tests/e2e/slurm_executor.sh, which starts
// one with scripts/lib/slurm.sh and exports its SLURM_CONF.

#include "pipeline/slurm/slurm_executor.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "common/fs.h"

namespace ferry::pipeline {
namespace {

using std::chrono::steady_clock;

class SlurmExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* conf = std::getenv("SLURM_CONF");
    ASSERT_NE(conf, nullptr) << "run through tests/e2e/slurm_executor.sh";
    options_.slurm_conf = conf;
    options_.poll_interval = std::chrono::milliseconds(200);
    auto dir = TempDir::Create("slurm-executor-test");
    ASSERT_TRUE(dir.ok());
    dir_ = std::make_unique<TempDir>(std::move(*dir));
    auto executor = MakeSlurmExecutor(options_);
    ASSERT_TRUE(executor.ok()) << executor.status();
    executor_ = std::move(*executor);
  }

  StepJob Job(const std::string& name, std::vector<std::string> argv) {
    StepJob job;
    job.id = "run1." + name + ".0";
    job.argv = std::move(argv);
    job.work_dir = JoinPath(dir_->path(), name);
    EXPECT_TRUE(MakeDirs(job.work_dir).ok());
    job.log_path = JoinPath(dir_->path(), name + ".log");
    return job;
  }

  // Polls until the job is final (or `until` is reached); fails the test after 120 s.
  JobStatus WaitFor(const std::string& handle, bool (*until)(JobState) = IsFinal) {
    const auto deadline = steady_clock::now() + std::chrono::seconds(120);
    while (steady_clock::now() < deadline) {
      auto s = executor_->Poll(handle);
      EXPECT_TRUE(s.ok()) << s.status();
      if (!s.ok() || until(s->state)) return s.ok() ? *s : JobStatus{};
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << handle << " did not reach the state in 120 s";
    return {};
  }

  std::string Log(const StepJob& job) {
    auto text = ReadFile(job.log_path);
    return text.ok() ? *text : "<no log>";
  }

  SlurmOptions options_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<Executor> executor_;
};

TEST_F(SlurmExecutorTest, SuccessWithStdoutAndStderrInTheLog) {
  StepJob job = Job("ok", {"/bin/sh", "-c", "echo out; echo err >&2; pwd"});
  auto handle = executor_->Submit(job);
  ASSERT_TRUE(handle.ok()) << handle.status();
  JobStatus s = WaitFor(*handle);
  EXPECT_EQ(s.state, JobState::kSucceeded) << s.reason;
  EXPECT_EQ(s.exit_code, 0);
  EXPECT_EQ(Log(job), "out\nerr\n" + job.work_dir + "\n");
  // A final job stays final, and cancelling it is a no-op.
  EXPECT_EQ(executor_->Poll(*handle)->state, JobState::kSucceeded);
  EXPECT_TRUE(executor_->Cancel(*handle).ok());
}

TEST_F(SlurmExecutorTest, LogIsAppended) {
  StepJob job = Job("append", {"/bin/echo", "second"});
  ASSERT_TRUE(WriteFileAtomic(job.log_path, "first\n").ok());
  auto handle = executor_->Submit(job);
  ASSERT_TRUE(handle.ok()) << handle.status();
  EXPECT_EQ(WaitFor(*handle).state, JobState::kSucceeded);
  EXPECT_EQ(Log(job), "first\nsecond\n");
}

TEST_F(SlurmExecutorTest, FailingExitCode) {
  StepJob job = Job("fail", {"/bin/sh", "-c", "echo about to fail; exit 3"});
  auto handle = executor_->Submit(job);
  ASSERT_TRUE(handle.ok()) << handle.status();
  JobStatus s = WaitFor(*handle);
  EXPECT_EQ(s.state, JobState::kFailed);
  EXPECT_EQ(s.exit_code, 3);
  EXPECT_EQ(s.reason, "exit 3");
  EXPECT_EQ(Log(job), "about to fail\n");
}

TEST_F(SlurmExecutorTest, TimeoutIsReportedAsTimedOut) {
  StepJob job = Job("timeout", {"/bin/sleep", "300"});
  job.timeout_seconds = 2;
  auto handle = executor_->Submit(job);
  ASSERT_TRUE(handle.ok()) << handle.status();
  JobStatus s = WaitFor(*handle);
  EXPECT_EQ(s.state, JobState::kTimedOut) << s.reason;
  EXPECT_EQ(s.reason, "timed out after 2 s");
}

TEST_F(SlurmExecutorTest, CancelARunningJob) {
  StepJob job = Job("cancel", {"/bin/sleep", "300"});
  auto handle = executor_->Submit(job);
  ASSERT_TRUE(handle.ok()) << handle.status();
  EXPECT_EQ(WaitFor(*handle, [](JobState s) { return s != JobState::kQueued; }).state,
            JobState::kRunning);
  ASSERT_TRUE(executor_->Cancel(*handle).ok());
  JobStatus s = WaitFor(*handle);
  EXPECT_EQ(s.state, JobState::kCancelled) << s.reason;
  EXPECT_TRUE(executor_->Cancel(*handle).ok());
}

TEST_F(SlurmExecutorTest, NastyArgumentsComeBackExactly) {
  const std::vector<std::string> nasty = {"two words",
                                          "it's",
                                          "\"double\"",
                                          "$HOME ${PATH} $(id)",
                                          "`id`",
                                          "back\\slash",
                                          "line one\nline two",
                                          "*",
                                          "",
                                          "; exit 9",
                                          "'",
                                          "%j %x",
                                          "tab\there",
                                          "-n"};
  std::vector<std::string> argv = {"/usr/bin/printf", "[%s]"};
  argv.insert(argv.end(), nasty.begin(), nasty.end());
  StepJob job = Job("argv", argv);
  auto handle = executor_->Submit(job);
  ASSERT_TRUE(handle.ok()) << handle.status();
  EXPECT_EQ(WaitFor(*handle).state, JobState::kSucceeded);
  std::string expected;
  for (const std::string& a : nasty) expected += "[" + a + "]";
  EXPECT_EQ(Log(job), expected);
}

TEST_F(SlurmExecutorTest, EnvironmentIsPassed) {
  StepJob job = Job("env", {"/bin/sh", "-c", "printf '%s|%s' \"$FERRY_STEP\" \"$FERRY_ODD\""});
  job.env = {{"FERRY_STEP", "train"}, {"FERRY_ODD", "a 'b' \"c\" $d\ne"}};
  auto handle = executor_->Submit(job);
  ASSERT_TRUE(handle.ok()) << handle.status();
  EXPECT_EQ(WaitFor(*handle).state, JobState::kSucceeded);
  EXPECT_EQ(Log(job), "train|a 'b' \"c\" $d\ne");
}

TEST_F(SlurmExecutorTest, JobsThatCanNeverRunAreInvalidArguments) {
  StepJob job = Job("huge", {"/bin/true"});
  job.resources.cpus = 4096;
  EXPECT_EQ(executor_->Submit(job).status().code(), absl::StatusCode::kInvalidArgument);
  job = Job("partition", {"/bin/true"});
  job.resources.partition = "no-such-partition";
  auto s = executor_->Submit(job);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(s.status().message()).find("sbatch: "), std::string::npos);
  job = Job("program", {"/no/such/program"});
  EXPECT_EQ(executor_->Submit(job).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SlurmExecutorTest, UnknownJobIsReportedGone) {
  auto s = executor_->Poll("987654");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, JobState::kFailed);
  EXPECT_NE(s->reason.find("no longer knows job 987654"), std::string::npos) << s->reason;
  EXPECT_EQ(executor_->Poll("not-a-job").status().code(), absl::StatusCode::kInvalidArgument);
  // Slurm 22.05's scancel says nothing and exits 0 for a job it does not know.
  EXPECT_TRUE(executor_->Cancel("987653").ok());
}

// bin_dir holds wrappers that count each squeue run: polling three jobs many times within one
// poll interval costs one squeue.
TEST_F(SlurmExecutorTest, OneSqueuePerPollIntervalForAllJobs) {
  const std::string bin = JoinPath(dir_->path(), "bin");
  ASSERT_TRUE(MakeDirs(bin).ok());
  for (const char* name : {"sbatch", "squeue", "scontrol", "sacct", "scancel"}) {
    const std::string path = JoinPath(bin, name);
    std::string real = std::string("$(PATH=/usr/bin:/bin:$PATH command -v ") + name + ")";
    ASSERT_TRUE(WriteFileAtomic(path, "#!/bin/sh\necho " + std::string(name) + " >>" +
                                          JoinPath(bin, "calls") + "\nexec \"" + real +
                                          "\" \"$@\"\n")
                    .ok());
    ASSERT_EQ(::chmod(path.c_str(), 0755), 0);
  }
  options_.bin_dir = bin;
  options_.poll_interval = std::chrono::seconds(600);
  auto executor = MakeSlurmExecutor(options_);
  ASSERT_TRUE(executor.ok()) << executor.status();
  std::vector<std::string> handles;
  for (int i = 0; i < 3; ++i) {
    auto h = (*executor)->Submit(Job("cached" + std::to_string(i), {"/bin/sleep", "300"}));
    ASSERT_TRUE(h.ok()) << h.status();
    handles.push_back(*h);
  }
  for (int round = 0; round < 10; ++round) {
    for (const std::string& h : handles) {
      auto s = (*executor)->Poll(h);
      ASSERT_TRUE(s.ok()) << s.status();
      EXPECT_FALSE(IsFinal(s->state));
    }
  }
  auto calls = ReadFile(JoinPath(bin, "calls"));
  ASSERT_TRUE(calls.ok());
  EXPECT_EQ(*calls, "sbatch\nsbatch\nsbatch\nsbatch\nsqueue\n");  // --version, 3 jobs, 1 squeue
  for (const std::string& h : handles) EXPECT_TRUE((*executor)->Cancel(h).ok());
  // A cancel makes the next Poll ask again.
  for (const std::string& h : handles) {
    const auto deadline = steady_clock::now() + std::chrono::seconds(60);
    JobState state = JobState::kRunning;
    while (!IsFinal(state) && steady_clock::now() < deadline) {
      state = (*executor)->Poll(h)->state;
      if (!IsFinal(state)) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_EQ(state, JobState::kCancelled);
  }
}

TEST_F(SlurmExecutorTest, CommandErrorsAreUnavailableAndNameTheCommand) {
  // sbatch --version reads the configuration: a broken one fails MakeSlurmExecutor at once.
  const std::string conf = JoinPath(dir_->path(), "slurm.conf");
  ASSERT_TRUE(WriteFileAtomic(conf, "NotAKey=1\n").ok());
  options_.slurm_conf = conf;
  auto broken = MakeSlurmExecutor(options_);
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(std::string(broken.status().message()).find("sbatch --version: "), std::string::npos)
      << broken.status();
  // Broken after the start: each command's error names it.
  auto good = ReadFile(std::getenv("SLURM_CONF"));
  ASSERT_TRUE(good.ok());
  ASSERT_TRUE(WriteFileAtomic(conf, *good).ok());
  auto executor = MakeSlurmExecutor(options_);
  ASSERT_TRUE(executor.ok()) << executor.status();
  ASSERT_TRUE(WriteFileAtomic(conf, "NotAKey=1\n").ok());
  auto s = (*executor)->Submit(Job("broken", {"/bin/true"}));
  EXPECT_EQ(s.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(std::string(s.status().message()).rfind("sbatch: ", 0) == 0) << s.status();
  EXPECT_EQ(std::string(s.status().message()).find("ferry-slurm-"), std::string::npos)
      << "the private batch script path leaked: " << s.status();
  auto p = (*executor)->Poll("1");
  EXPECT_EQ(p.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(std::string(p.status().message()).rfind("squeue: ", 0) == 0) << p.status();

  options_.slurm_conf.clear();
  options_.bin_dir = JoinPath(dir_->path(), "no-such-bin");
  EXPECT_EQ(MakeSlurmExecutor(options_).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace ferry::pipeline
