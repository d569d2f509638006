#include "cli/sub_commands.h"

#include <algorithm>
#include <cstdio>

namespace ferry::cli {
namespace {

void PrintUsage(std::FILE* out, std::string_view group, std::string_view about,
                std::span<const SubCommand> commands) {
  const auto g = static_cast<int>(group.size());
  std::fprintf(out, "Usage: ferry %.*s <command> [flags]\n\n%.*s\n\nCommands:\n", g, group.data(),
               static_cast<int>(about.size()), about.data());
  size_t width = 0;
  for (const SubCommand& sub : commands) width = std::max(width, sub.name.size());
  for (const SubCommand& sub : commands) {
    std::fprintf(out, "  %-*.*s %.*s\n", static_cast<int>(width + 1),
                 static_cast<int>(sub.name.size()), sub.name.data(),
                 static_cast<int>(sub.summary.size()), sub.summary.data());
  }
  std::fprintf(out, "\nRun 'ferry %.*s <command> --help' for a command's flags.\n", g,
               group.data());
}

}  // namespace

int DispatchSubCommand(std::string_view group, std::string_view about,
                       std::span<const SubCommand> commands, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(args.empty() ? stderr : stdout, group, about, commands);
    return args.empty() ? 2 : 0;
  }
  for (const SubCommand& sub : commands) {
    if (sub.name == args[0]) return sub.run(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  std::fprintf(stderr, "ferry %.*s: unknown command '%s'\n\n", static_cast<int>(group.size()),
               group.data(), args[0].c_str());
  PrintUsage(stderr, group, about, commands);
  return 2;
}

}  // namespace ferry::cli
