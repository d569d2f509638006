#pragma once
// `ferry monitor <sub-command>`: data validation, profiles, drift and reports on files.
// monitor_command.cc dispatches; each sub-command is its own file in this folder.

#include <string>
#include <vector>

namespace ferry::cli {

// Returns the process exit code: 0 success, 1 failure (or a blocking finding, where the
// sub-command says so), 2 usage error.
int MonitorCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
