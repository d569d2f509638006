#pragma once
// Runs one pipeline run: steps in topological order, independent branches in parallel up to a
// limit, a cache lookup before each step, retries (the attempt number in the job id and the
// record), a timeout per attempt (the executor's), a failed step's dependants skipped while
// independent branches finish, and cancellation of the whole run. Single-threaded: it submits
// to and polls the executors, which run the processes.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "common/status.h"
#include "pipeline/dag.h"
#include "pipeline/executors/executor.h"
#include "pipeline/run_record.h"
#include "pipeline/spec.h"
#include "pipeline/step_cache.h"
#include "pipeline/step_command.h"

namespace ferry::pipeline {

// Told about each change, on the scheduler's thread; must not block for long. May set
// mlflow_run_id on the run or a step (recorded with them).
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void OnRunStarted(PipelineRun& run) = 0;
  virtual void OnStepChanged(PipelineRun& run, StepRun& step) = 0;
  virtual void OnRunFinished(PipelineRun& run) = 0;
  // Every SchedulerOptions::progress_interval while steps run (long steps show they live).
  virtual void OnProgress(PipelineRun& run) {}
};

struct SchedulerOptions {
  int concurrency = 0;  // steps running at once; 0: the spec's, else the number of cores
  bool use_cache = true;
  std::string executor_override;  // --executor: every step runs there
  std::string ferry_version = FERRY_VERSION;
  BuiltinContext builtin;
  std::chrono::milliseconds poll_interval{50};
  std::chrono::milliseconds progress_interval{10000};
  // Set from another thread (a signal handler's flag) to cancel; the run store's cancel
  // marker does the same from another process.
  const std::atomic<bool>* cancel = nullptr;
  // What started the run and the triggers folded into it (`ferry pipeline watch`), recorded.
  std::string trigger = "manual";
  std::vector<std::string> folded_triggers;
};

class Scheduler {
 public:
  // `executors` maps each executor name the run needs to one (MakeExecutor); not owned.
  Scheduler(const PipelineSpec& spec, std::map<std::string, Executor*> executors, RunStore& runs,
            StepCache& cache, SchedulerOptions options)
      : spec_(spec),
        executors_(std::move(executors)),
        runs_(runs),
        cache_(cache),
        options_(std::move(options)) {}

  // Runs to the end and returns the record (also saved under the run store). An error only
  // when the run cannot be set up (a bad parameter, an executor missing); step failures are
  // in the record.
  absl::StatusOr<PipelineRun> Run(const std::map<std::string, std::string>& parameters,
                                  RunObserver* observer);

  // The executor names a spec's steps use (with `override`, just it).
  static std::vector<std::string> ExecutorNames(const PipelineSpec& spec,
                                                const std::string& override_name);

 private:
  const PipelineSpec& spec_;
  std::map<std::string, Executor*> executors_;
  RunStore& runs_;
  StepCache& cache_;
  SchedulerOptions options_;
};

}  // namespace ferry::pipeline
