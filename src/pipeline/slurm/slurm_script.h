#pragma once
// What the Slurm executor hands to sbatch for one StepJob: a /bin/sh batch script that exports
// the step's environment and execs its argv (under timeout(1) when the step has a timeout), and
// the sbatch flags (job name, working directory, log, resources, time limit).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pipeline/executors/executor.h"

namespace ferry::pipeline::slurm {

// `s` as one /bin/sh word: single-quoted, each ' written as '\''. Any byte but NUL survives,
// newlines, $, ", \ and spaces included.
std::string ShellQuote(std::string_view s);

// The batch script. kInvalidArgument for an empty argv, a relative argv[0] or an environment
// name that is not a shell identifier.
absl::StatusOr<std::string> BatchScript(const StepJob& job);

// The Slurm job name for a step job id: characters other than [A-Za-z0-9._-] become '_'.
std::string SlurmJobName(std::string_view id);

// --time in minutes for a timeout in seconds: rounded up, plus one minute, so that the
// script's own timeout(1) fires first and the exact timeout is what the user sees; Slurm's
// limit is the backstop. 0 when there is no timeout.
int64_t TimeLimitMinutes(int64_t timeout_seconds);

// The sbatch arguments after the program name, ending with `script_path`. kInvalidArgument for
// an empty or relative work_dir or log_path, or a '\' in them (Slurm drops backslashes from
// file names); '%' in the log path is escaped (Slurm expands %j and friends).
absl::StatusOr<std::vector<std::string>> SbatchArgs(const StepJob& job,
                                                    const std::string& default_partition,
                                                    const std::string& script_path);

}  // namespace ferry::pipeline::slurm
