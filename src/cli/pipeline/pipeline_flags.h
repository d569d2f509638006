#pragma once
// What every `ferry pipeline` command shares: where the pipeline file and its state directory
// are (-f FILE, --state-dir DIR: default <FILE's directory>/.ferry/pipelines), and the table of
// a run's steps.

#include <string>

#include "cli/flags.h"
#include "pipeline/run_record.h"

namespace ferry::cli {

void DeclarePipelineLocationFlags(FlagSet& flags);
// The state directory the flags name.
std::string PipelineStateDir(const FlagSet& flags);
// The run named by `id`, or the latest when `id` is empty.
absl::StatusOr<pipeline::PipelineRun> FindPipelineRun(const pipeline::RunStore& runs,
                                                      const std::string& id);

// "1.2s", "3m04s", "-" for no time.
std::string FormatDuration(int64_t ms);
// "run <id> (<pipeline>): <state> in <time>; <n> steps: ..." and a table of the steps.
std::string RunSummary(const pipeline::PipelineRun& run);

}  // namespace ferry::cli
