#pragma once
// Where a pipeline step runs. Every step, built-in kinds included, reaches an executor as one
// command line (built-in kinds are `ferry <subcommand> ...` of this same binary), so the local
// process pool and Slurm run exactly the same thing. An executor is asked to start an attempt,
// is polled for its state, and can be told to cancel it; retries and timeouts across attempts
// belong to the scheduler above it, the timeout of one attempt to the executor.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::pipeline {

struct Resources {
  int cpus = 1;
  int64_t memory_mb = 0;  // 0: the executor's default
  std::string partition;  // Slurm only; empty: the cluster's default
};

// One attempt of one step, ready to run.
struct StepJob {
  std::string id;                          // unique: "<run id>.<step name>.<attempt>"
  std::vector<std::string> argv;           // argv[0] is an absolute path
  std::map<std::string, std::string> env;  // added to the executor's environment
  std::string work_dir;                    // exists; the step's outputs are written here
  std::string log_path;                    // the step's stdout and stderr, appended, as they come
  int64_t timeout_seconds = 0;             // 0: none; then the attempt is killed, kTimedOut
  Resources resources;
};

enum class JobState { kQueued, kRunning, kSucceeded, kFailed, kCancelled, kTimedOut };

// True for the states a job never leaves.
inline bool IsFinal(JobState state) {
  return state != JobState::kQueued && state != JobState::kRunning;
}
const char* JobStateName(JobState state);  // "queued", "running", "succeeded", ...

struct JobStatus {
  JobState state = JobState::kQueued;
  int exit_code = 0;   // meaningful once final; 128 + signal when killed by one
  std::string reason;  // for failures: what the executor saw ("exit 3", "NODE_FAIL", ...)
};

class Executor {
 public:
  virtual ~Executor() = default;

  // "local", "slurm".
  virtual const char* name() const = 0;

  // Starts (or queues) the job and returns the executor's handle for it (a Slurm job id, a
  // local pid-based id). kInvalidArgument when the job can never run here (e.g. no such
  // program, more cpus than the executor has), kUnavailable when the executor is down.
  virtual absl::StatusOr<std::string> Submit(const StepJob& job) = 0;

  // The job's state now. Cheap enough to call every few hundred milliseconds.
  virtual absl::StatusOr<JobStatus> Poll(const std::string& handle) = 0;

  // Asks the job to stop; Poll reports kCancelled once it has. Cancelling a final job is a
  // no-op (OK).
  virtual absl::Status Cancel(const std::string& handle) = 0;
};

}  // namespace ferry::pipeline
