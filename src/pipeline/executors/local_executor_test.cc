#include "pipeline/executors/local_executor.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "common/fs.h"
#include "common/testing/test_dir.h"

namespace ferry::pipeline {
namespace {

class LocalExecutorTest : public ::testing::Test {
 protected:
  StepJob Job(const std::string& id, const std::string& script, int64_t timeout = 0) {
    StepJob job;
    job.id = id;
    job.argv = {"/bin/sh", "-c", script};
    job.env = {{"STEP_WORD", "from-env"}};
    job.work_dir = dir_.Sub(id);
    job.log_path = dir_.path() + "/" + id + ".log";
    job.timeout_seconds = timeout;
    return job;
  }
  // Polls until final (no time limit: ctest's own timeout catches a hang).
  JobStatus Wait(LocalExecutor& exec, const std::string& handle) {
    for (;;) {
      auto st = exec.Poll(handle);
      EXPECT_TRUE(st.ok()) << st.status();
      if (!st.ok() || IsFinal(st->state)) return st.ok() ? *st : JobStatus{};
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  testing::TestDir dir_;
};

TEST_F(LocalExecutorTest, RunsInTheWorkDirWithEnvAndLogsOutput) {
  LocalExecutor exec(2);
  auto h = exec.Submit(Job("ok", "echo $STEP_WORD; echo err >&2; pwd > here; exit 0"));
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(Wait(exec, *h).state, JobState::kSucceeded);
  EXPECT_EQ(*ReadFile(dir_.path() + "/ok.log"), "from-env\nerr\n");
  EXPECT_EQ(*ReadFile(dir_.path() + "/ok/here"), dir_.path() + "/ok\n");
}

TEST_F(LocalExecutorTest, ExitStatusIsAFailure) {
  LocalExecutor exec(1);
  auto h = exec.Submit(Job("bad", "exit 3"));
  ASSERT_TRUE(h.ok());
  JobStatus st = Wait(exec, *h);
  EXPECT_EQ(st.state, JobState::kFailed);
  EXPECT_EQ(st.exit_code, 3);
  EXPECT_EQ(st.reason, "exit 3");
  auto missing = exec.Submit([&] {
    StepJob j = Job("missing", "");
    j.argv = {"/no/such/program"};
    return j;
  }());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LocalExecutorTest, JobsPastTheLimitWaitInTheQueue) {
  LocalExecutor exec(1);
  auto first =
      exec.Submit(Job("first", "touch started; while [ ! -e ../go ]; do sleep 0.01; done"));
  auto second = exec.Submit(Job("second", "true"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(exec.Poll(*second)->state, JobState::kQueued);
  ASSERT_TRUE(WriteFileAtomic(dir_.path() + "/go", "").ok());
  EXPECT_EQ(Wait(exec, *first).state, JobState::kSucceeded);
  EXPECT_EQ(Wait(exec, *second).state, JobState::kSucceeded);
}

TEST_F(LocalExecutorTest, TimeoutKillsTheWholeGroup) {
  LocalExecutor exec(1, std::chrono::milliseconds(200));
  // The background child ignores SIGTERM: only the group SIGKILL after the grace ends it.
  auto h = exec.Submit(Job("slow", "(trap '' TERM; sleep 30; touch ../survived) & sleep 30", 1));
  ASSERT_TRUE(h.ok());
  JobStatus st = Wait(exec, *h);
  EXPECT_EQ(st.state, JobState::kTimedOut);
  EXPECT_FALSE(PathExists(dir_.path() + "/survived"));
}

TEST_F(LocalExecutorTest, CancelKillsARunningJobAndDequeuesAWaitingOne) {
  LocalExecutor exec(1, std::chrono::milliseconds(200));
  auto running = exec.Submit(Job("run", "sleep 30"));
  auto waiting = exec.Submit(Job("wait", "true"));
  ASSERT_TRUE(running.ok() && waiting.ok());
  ASSERT_TRUE(exec.Cancel(*waiting).ok());
  EXPECT_EQ(exec.Poll(*waiting)->state, JobState::kCancelled);
  ASSERT_TRUE(exec.Cancel(*running).ok());
  JobStatus st = Wait(exec, *running);
  EXPECT_EQ(st.state, JobState::kCancelled);
  EXPECT_EQ(st.exit_code, 128 + SIGTERM);
  EXPECT_TRUE(exec.Cancel(*running).ok());  // final: a no-op
}

}  // namespace
}  // namespace ferry::pipeline
