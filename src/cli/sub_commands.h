#pragma once
// Command groups (`ferry monitor <command>`, `ferry pipeline <command>`): a table of
// sub-commands, each in its own file, and the one dispatcher that runs them.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::cli {

struct SubCommand {
  std::string_view name;
  std::string_view summary;  // one line for the group's usage
  int (*run)(const std::vector<std::string>& args);
};

// Runs the sub-command args[0] names with the rest of `args`. `--help`, `-h` or `help` print
// the group's usage (`about`, then the commands) on stdout and return 0; no command prints it
// on stderr and returns 2, as does an unknown one after saying so.
int DispatchSubCommand(std::string_view group, std::string_view about,
                       std::span<const SubCommand> commands, const std::vector<std::string>& args);

}  // namespace ferry::cli
