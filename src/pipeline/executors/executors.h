#pragma once
// Executors by name: "local" (local_executor.h) and "slurm" (pipeline/slurm/, when the build
// has it). The scheduler asks for each executor a pipeline or a step names.

#include <memory>
#include <string>

#include "common/status.h"
#include "pipeline/executors/executor.h"

namespace ferry::pipeline {

struct ExecutorOptions {
  int concurrency = 0;    // jobs running at once; 0: the number of cores
  std::string state_dir;  // the pipeline's state directory (executors may keep files there)
};

// kInvalidArgument for an unknown name; kUnavailable "this build has no Slurm executor" for
// "slurm" in a build without one.
absl::StatusOr<std::unique_ptr<Executor>> MakeExecutor(const std::string& name,
                                                       const ExecutorOptions& options);

// True for the names MakeExecutor knows (whether or not this build has them).
bool IsExecutorName(const std::string& name);

}  // namespace ferry::pipeline
