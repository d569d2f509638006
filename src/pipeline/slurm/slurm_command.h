#pragma once
// Runs one Slurm client command (sbatch, squeue, ...) through common/process.h with stdin from
// /dev/null, SLURM_CONF set when configured, and its stdout and stderr kept apart.

#include <chrono>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/status.h"

namespace ferry::pipeline::slurm {

struct CommandOutput {
  int exit_code = 0;
  std::string out;  // stdout
  std::string err;  // stderr, trimmed, private paths replaced
};

class SlurmCommand {
 public:
  // `scratch` holds the captured output files while a command runs (and the batch scripts).
  SlurmCommand(std::string slurm_conf, std::chrono::milliseconds timeout, TempDir scratch)
      : slurm_conf_(std::move(slurm_conf)), timeout_(timeout), scratch_(std::move(scratch)) {}

  // Runs argv. kUnavailable naming argv[0] when it cannot start or runs past the timeout;
  // otherwise its exit code and output, whatever the exit code.
  absl::StatusOr<CommandOutput> Run(const std::vector<std::string>& argv) const;

  // A fresh path in the scratch directory ("<dir>/<n><suffix>").
  std::string ScratchPath(const std::string& suffix) const;

  // "<name>: <stderr>" as a kUnavailable status, for a command that exited non-zero.
  static absl::Status Failed(const std::string& name, const CommandOutput& out);

 private:
  std::string slurm_conf_;
  std::chrono::milliseconds timeout_;
  TempDir scratch_;
};

}  // namespace ferry::pipeline::slurm
