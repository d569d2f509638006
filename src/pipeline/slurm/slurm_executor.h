#pragma once
// The Slurm executor: each step attempt is one batch job. Submit writes a /bin/sh batch script
// (slurm_script.h) and runs `sbatch --parsable`; Poll asks `squeue` once per poll interval for
// every job this executor follows, and `scontrol show job -o` (then `sacct`, where accounting
// exists) for a job squeue no longer lists; Cancel runs `scancel`. Work directories, log paths
// and argv[0] must be visible on the compute nodes under the same paths (a shared file system,
// or a single-node cluster).

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"
#include "pipeline/executors/executor.h"

namespace ferry::pipeline {

struct SlurmOptions {
  // Where the Slurm commands are; empty: found in PATH. Each name below may also be a path of
  // its own (an absolute name ignores bin_dir).
  std::string bin_dir;
  std::string sbatch = "sbatch";
  std::string squeue = "squeue";
  std::string scontrol = "scontrol";
  std::string sacct = "sacct";
  std::string scancel = "scancel";
  // SLURM_CONF for those commands; empty: their own default (/etc/slurm/slurm.conf or the
  // SLURM_CONF we inherited).
  std::string slurm_conf;
  // The partition of steps that name none; empty: the cluster's default partition.
  std::string partition;
  // squeue runs at most once per interval however often Poll is called; a job submitted or
  // cancelled since the last squeue is always asked about afresh.
  std::chrono::milliseconds poll_interval{1000};
  // Longest a single Slurm command may take before it counts as kUnavailable.
  std::chrono::milliseconds command_timeout{60000};
};

// kUnavailable when sbatch cannot be run (not installed, not in PATH).
absl::StatusOr<std::unique_ptr<Executor>> MakeSlurmExecutor(const SlurmOptions& options);

}  // namespace ferry::pipeline
