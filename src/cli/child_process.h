#pragma once
// Runs a command as a child process, teeing its stdout and stderr to ours and to files,
// with SIGINT/SIGTERM forwarded to it.

#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::cli {

struct ChildResult {
  int exit_code = 0;  // the exit status, or 128 + signal number
  bool signaled = false;
  int64_t duration_ms = 0;
};

// Runs `argv` with `extra_env` added to the environment. Output is copied to our stdout and
// stderr as it arrives and appended to `stdout_file` / `stderr_file`. kNotFound if the
// program cannot be executed.
absl::StatusOr<ChildResult> RunChild(const std::vector<std::string>& argv,
                                     const std::map<std::string, std::string>& extra_env,
                                     const std::string& stdout_file,
                                     const std::string& stderr_file);

// Output of a short helper command (e.g. `git rev-parse HEAD`), trimmed; empty on failure.
std::string CaptureCommand(const std::vector<std::string>& argv);

}  // namespace ferry::cli
