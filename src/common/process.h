#pragma once
// The one place Ferry starts child processes (posix_spawn + waitpid). Two uses, chosen by
// options: `ferry run` echoes the command's output, copies it to files and forwards
// SIGINT/SIGTERM to it; the external trainer captures a tail of the output, runs the command
// in its own process group and kills the group when a deadline passes. A third, for callers
// that watch many children at once (the pipeline's local executor): SpawnProcess starts one
// and returns, TryReapProcess polls it, SignalProcess stops it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry {

struct ProcessOptions {
  std::map<std::string, std::string> extra_env;  // added to (or replacing in) our environment
  bool stdin_null = false;                       // stdin from /dev/null (else inherited)
  bool echo = false;            // copy the child's stdout/stderr to ours as it arrives
  std::string stdout_file;      // when set, a copy of the child's stdout (truncated first)
  std::string stderr_file;      // when set, a copy of the child's stderr (truncated first)
  bool discard_stderr = false;  // the child's stderr goes to /dev/null (and not in the tail)
  size_t tail_bytes = 0;        // keep the last tail_bytes of stdout and stderr, interleaved
  bool own_process_group = false;
  bool forward_signals = false;  // SIGINT/SIGTERM we receive go to the child while it runs
  // 0: none. When it passes, the child (its whole group with own_process_group) is SIGKILLed.
  std::chrono::milliseconds timeout{0};
};

struct ProcessResult {
  int exit_code = 0;        // the exit status, or 128 + signal number
  bool signaled = false;    // ended by a signal (including our SIGKILL on timeout)
  bool timed_out = false;   // the deadline passed and the child was killed
  int64_t duration_ms = 0;  // from start to reaping
  std::string output_tail;  // the last tail_bytes of the output
};

// Runs `argv` (argv[0] searched in PATH). kInvalidArgument naming the program when it cannot
// be started; every outcome of a started process is a ProcessResult.
absl::StatusOr<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                         const ProcessOptions& options);

struct SpawnOptions {
  std::map<std::string, std::string> extra_env;  // added to (or replacing in) our environment
  std::string work_dir;                          // the child's working directory (empty: ours)
  std::string output_file;  // stdout and stderr appended here, created if absent (empty: null)
  bool own_process_group = true;
};

// Starts `argv` (argv[0] searched in PATH) with stdin from /dev/null and returns its pid at
// once. kInvalidArgument naming the program when it cannot be started, an errno status
// naming the file when the output file cannot be opened. The caller must reap the child.
absl::StatusOr<int> SpawnProcess(const std::vector<std::string>& argv, const SpawnOptions& options);
// Non-blocking: nullopt while `pid` runs; once it ended, reaps it and returns its exit status
// (128 + signal number when a signal ended it). -1 when `pid` is no child of ours.
std::optional<int> TryReapProcess(int pid);
// Sends `sig` to the process group `pid` leads (SpawnOptions::own_process_group). Safe after
// the leader was reaped while others of its group live on.
void SignalProcess(int pid, int sig);

// The processes (other than this one) whose environment holds `entry` ("NAME=value", whole),
// from /proc; those whose environment cannot be read are left out.
std::vector<int> ProcessesWithEnv(const std::string& entry);

// The stdout of a short helper command (e.g. `git rev-parse HEAD`), trailing newlines
// trimmed; empty when it cannot run or exits non-zero.
std::string CaptureCommand(const std::vector<std::string>& argv);

}  // namespace ferry
