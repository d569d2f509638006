#pragma once
// What a pipeline run leaves behind: runs/<run id>/run.json under the state directory, rewritten
// (atomically) at every change of state so `ferry pipeline status` reads it while the run goes
// on. Lineage reads it too: the cache keys a run used keep their cache entries alive (gc).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::pipeline {

enum class StepState { kPending, kRunning, kSucceeded, kCached, kFailed, kSkipped, kCancelled };
const char* StepStateName(StepState state);
bool IsFinalStep(StepState state);

struct StepRun {
  std::string name;
  std::string kind;
  std::string executor;
  StepState state = StepState::kPending;
  int attempts = 0;
  bool cache_hit = false;
  std::string cache_key;
  std::string job_handle;  // the executor's handle of the last attempt
  int64_t started_ms = 0;  // Unix epoch milliseconds; 0: not started
  int64_t ended_ms = 0;
  int exit_code = 0;
  std::string reason;                                 // why it failed, was skipped or cancelled
  std::map<std::string, std::string> input_digests;   // "sha256:<hex>"
  std::map<std::string, std::string> output_digests;  // "sha256:<hex>"
  // Where each input came from: a path, or "steps.STEP.outputs.OUT" (not kept in run.json).
  std::map<std::string, std::string> input_sources;
  std::string log_path;
  std::string work_dir;
  std::string mlflow_run_id;
};

enum class RunState { kRunning, kSucceeded, kFailed, kCancelled };
const char* RunStateName(RunState state);

struct PipelineRun {
  std::string id;
  std::string pipeline;  // the pipeline's name
  std::string file;      // the pipeline file
  std::string trigger = "manual";
  std::vector<std::string> folded_triggers;  // triggers that fired while it waited to start
  RunState state = RunState::kRunning;
  int64_t started_ms = 0;
  int64_t ended_ms = 0;
  int pid = 0;  // the process running it
  std::map<std::string, std::string> parameters;
  std::string mlflow_run_id;
  std::vector<StepRun> steps;  // in the pipeline's topological order
};

std::string RunToJson(const PipelineRun& run);
absl::StatusOr<PipelineRun> RunFromJson(const std::string& json);

// The files of runs under a state directory.
class RunStore {
 public:
  // A relative `state_dir` starts at the working directory (steps run elsewhere).
  explicit RunStore(std::string state_dir);

  const std::string& state_dir() const { return state_dir_; }
  std::string RunDir(const std::string& run_id) const;
  // A fresh run id ("<UTC yyyymmdd-hhmmss>-<6 hex>") and its directory, created.
  absl::StatusOr<std::string> NewRun();
  absl::Status Save(const PipelineRun& run) const;
  // kNotFound naming the run when it has no record.
  absl::StatusOr<PipelineRun> Load(const std::string& run_id) const;
  // Every recorded run, newest first; unreadable records are skipped.
  std::vector<PipelineRun> List() const;
  // `ferry pipeline cancel`: leaves a marker the running scheduler polls for.
  absl::Status RequestCancel(const std::string& run_id) const;
  bool CancelRequested(const std::string& run_id) const;
  // A run recorded as running whose process is gone (killed with -9, the machine restarted):
  // it will never end by itself.
  static bool Orphaned(const PipelineRun& run);
  // Ends an orphaned run: stops the processes its steps left running (found by their
  // FERRY_PIPELINE_RUN environment entry), and the run and its unfinished steps become
  // cancelled.
  absl::Status EndOrphan(PipelineRun& run) const;

 private:
  std::string state_dir_;
};

int64_t NowMs();

}  // namespace ferry::pipeline
