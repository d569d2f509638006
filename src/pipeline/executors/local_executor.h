#pragma once
// The local executor: a pool of child processes (common/process.h) with a limit on how many
// run at once; jobs past it wait in a queue, in submission order. Each child runs in its own
// process group in the job's work dir, with stdout and stderr appended to the job's log file
// as they come. A job past its timeout, or cancelled, has its whole group killed (SIGTERM,
// then SIGKILL after a grace period). Thread-safe.

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "pipeline/executors/executor.h"

namespace ferry::pipeline {

class LocalExecutor : public Executor {
 public:
  // `concurrency` <= 0: the number of cores.
  explicit LocalExecutor(int concurrency,
                         std::chrono::milliseconds kill_grace = std::chrono::seconds(2));
  ~LocalExecutor() override;  // kills what still runs

  // Executor
  const char* name() const override { return "local"; }
  absl::StatusOr<std::string> Submit(const StepJob& job) override;
  absl::StatusOr<JobStatus> Poll(const std::string& handle) override;
  absl::Status Cancel(const std::string& handle) override;

  int concurrency() const { return concurrency_; }

 private:
  struct Job;
  void StartQueuedLocked();
  void UpdateLocked(Job& job);

  const int concurrency_;
  const std::chrono::milliseconds kill_grace_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Job>> jobs_;  // by handle
  std::deque<std::string> queue_;                     // handles waiting for a slot
  int running_ = 0;
  int next_ = 0;
};

}  // namespace ferry::pipeline
