#include "pipeline/executors/executors.h"

#include "pipeline/executors/local_executor.h"
#ifdef FERRY_PIPELINE_SLURM
#include "pipeline/slurm/slurm_executor.h"
#endif

namespace ferry::pipeline {

bool IsExecutorName(const std::string& name) { return name == "local" || name == "slurm"; }

absl::StatusOr<std::unique_ptr<Executor>> MakeExecutor(const std::string& name,
                                                       const ExecutorOptions& options) {
  if (name == "local") return std::make_unique<LocalExecutor>(options.concurrency);
  if (name == "slurm") {
#ifdef FERRY_PIPELINE_SLURM
    // The Slurm executor's own options (partition, poll interval, ...) take their defaults;
    // per-step resources come with each job.
    SlurmOptions slurm;
    return MakeSlurmExecutor(slurm);
#else
    return absl::UnavailableError("this build has no Slurm executor");
#endif
  }
  return absl::InvalidArgumentError("unknown executor '" + name + "' (expected local or slurm)");
}

}  // namespace ferry::pipeline
