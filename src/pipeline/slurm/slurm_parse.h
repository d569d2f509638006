#pragma once
// Reading what Slurm's commands print (sbatch --parsable, squeue -O, scontrol show job -o,
// sacct -P), and turning a Slurm job state into the executor's JobStatus. Pure functions over
// text, so tests feed them output captured from a real slurm-wlm 22.05.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "pipeline/executors/executor.h"

namespace ferry::pipeline::slurm {

// One job as a Slurm command reports it.
struct SlurmJobInfo {
  std::string state;   // "PENDING", "COMPLETED", "CANCELLED" ("CANCELLED by 0" cut to a word)
  std::string reason;  // "None", "NonZeroExitCode", "TimeLimit", ...
  int exit_code = 0;   // the job script's exit status, or 128 + signal number
  int signal = 0;      // the signal that ended it, 0 if none
};

// `sbatch --parsable` prints "<job id>" or "<job id>;<cluster>". kUnavailable for anything else.
absl::StatusOr<std::string> ParseSbatchJobId(std::string_view out);

// The squeue format whose output ParseSqueue reads: id, state, reason and the raw wait status.
inline constexpr const char* kSqueueFormat = "JobID:|,State:|,Reason:|,exit_code:|";

// `squeue -h -t all -O <kSqueueFormat>` lines ("2|FAILED|NonZeroExitCode|768|"), by job id.
// Malformed lines are skipped.
std::map<std::string, SlurmJobInfo> ParseSqueue(std::string_view out);

// One `scontrol show job -o` line: JobState=, Reason= and ExitCode=<exit>:<signal>. nullopt when
// the line has no JobState.
std::optional<SlurmJobInfo> ParseScontrolJob(std::string_view line);

// `sacct -n -P -X -o JobID,State,ExitCode -j <id>` ("2|FAILED|3:0"): the line for `job_id`.
std::optional<SlurmJobInfo> ParseSacct(std::string_view out, std::string_view job_id);

// The executor's view of a Slurm job. `timeout_seconds` > 0 when the batch script enforced
// that timeout with timeout(1), whose exit status 124 then means kTimedOut.
JobStatus ToJobStatus(const SlurmJobInfo& info, int64_t timeout_seconds);

}  // namespace ferry::pipeline::slurm
