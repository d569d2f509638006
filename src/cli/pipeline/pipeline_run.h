#pragma once
// One pipeline run in this process, start to end: what `ferry pipeline run` does, and what
// `ferry pipeline watch` does for each run a trigger starts. Both take the same run flags.

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "cli/flags.h"
#include "pipeline/run_record.h"
#include "pipeline/scheduler.h"
#include "pipeline/spec.h"

namespace ferry::cli {

struct PipelineRunOptions {
  std::string file;                              // the pipeline file, loaded afresh for each run
  std::string state_dir;                         // runs, logs and the step cache
  std::map<std::string, std::string> overrides;  // -p key=value
  bool use_cache = true;
  std::string executor;      // --executor: every step there; empty: as the pipeline says
  int concurrency = 0;       // 0: the pipeline's, else the number of cores
  std::string tracking_uri;  // --tracking-uri; empty: see ResolveTrackingUri
  bool quiet = false;        // no progress lines
  std::string trigger = "manual";
  std::vector<std::string> folded_triggers;
  const std::atomic<bool>* cancel = nullptr;  // turns true: the run is cancelled
  pipeline::RunObserver* observer = nullptr;  // also told about the run (not owned)
};

// -f, --state-dir, -p, --no-cache, --executor, --concurrency, --tracking-uri, --quiet.
void DeclarePipelineRunFlags(FlagSet& flags);
// The options those flags give; kInvalidArgument (a usage error) when one is wrong.
absl::StatusOr<PipelineRunOptions> PipelineRunOptionsFromFlags(const FlagSet& flags);

// The tracking server of a run: `flag` (--tracking-uri), else the pipeline's tracking_uri,
// else FERRY_TRACKING_URI / MLFLOW_TRACKING_URI; empty: none.
std::string ResolveTrackingUri(const std::string& flag, const pipeline::PipelineSpec& spec);

// Loads the pipeline file, runs it to the end (progress lines on stdout unless quiet, MLflow
// runs with a tracking server) and prints the summary table on stdout. An error only when the
// run cannot be set up (the file, an executor); how the run ended is in the record.
absl::StatusOr<pipeline::PipelineRun> RunPipelineOnce(const PipelineRunOptions& options);

}  // namespace ferry::cli
