#pragma once
// Runs a trainer command as a child process: output captured (not shown), a deadline, and
// the whole process group killed when the deadline passes.

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::runtime::external {

struct ProcessResult {
  int exit_code = 0;        // the exit status, or 128 + signal number
  bool signaled = false;    // ended by a signal (including our SIGKILL on timeout)
  bool timed_out = false;   // the deadline passed and the process group was killed
  std::string output_tail;  // the last `tail_bytes` of stdout and stderr, interleaved
};

// Runs `argv` (argv[0] searched in PATH) with `extra_env` added to our environment, stdin
// from /dev/null, stdout and stderr into one pipe, in its own process group. Waits at most
// `timeout`; then SIGKILLs the group. kInvalidArgument when the program cannot be started
// (naming it and errno); every other outcome is a ProcessResult.
absl::StatusOr<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                         const std::map<std::string, std::string>& extra_env,
                                         std::chrono::milliseconds timeout,
                                         size_t tail_bytes = 4096);

}  // namespace ferry::runtime::external
