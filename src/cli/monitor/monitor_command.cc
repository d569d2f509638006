#include "cli/monitor/monitor_command.h"

#include <cstdio>
#include <string_view>

#include "cli/monitor/drift_commands.h"
#include "cli/monitor/profile_commands.h"
#include "cli/monitor/validation_commands.h"

namespace ferry::cli {
namespace {

struct SubCommand {
  std::string_view name;
  std::string_view summary;
  int (*run)(const std::vector<std::string>& args);
};

// One line per sub-command (each defined in its own file).
constexpr SubCommand kSubCommands[] = {
    {"schema", "Infer a data schema (types, ranges, categories, presence) from a file",
     MonitorSchemaCommand},
    {"validate", "Check a file against a schema; exit 1 on a blocking anomaly",
     MonitorValidateCommand},
    {"profile", "Profile a data file into a mergeable binary profile", MonitorProfileCommand},
    {"show", "Print a profile: types, counts, quantiles, distinct counts, top items",
     MonitorShowCommand},
    {"drift",
     "Per-column drift tests of current data against reference data, and the dataset verdict",
     MonitorDriftCommand},
    {"report", "The drift report as one self-contained HTML page", MonitorReportCommand},
    {"bias", "Prediction and quality gaps between segments (bias)", MonitorBiasCommand},
};

void PrintUsage(std::FILE* out) {
  std::fprintf(out,
               "Usage: ferry monitor <command> [flags]\n\n"
               "Data validation, profiles and drift on CSV, TSV or JSON-lines files.\n\n"
               "Commands:\n");
  for (const SubCommand& sub : kSubCommands) {
    if (sub.run == nullptr) continue;
    std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(sub.name.size()), sub.name.data(),
                 static_cast<int>(sub.summary.size()), sub.summary.data());
  }
  std::fprintf(out, "\nRun 'ferry monitor <command> --help' for a command's flags.\n");
}

}  // namespace

int MonitorCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  for (const SubCommand& sub : kSubCommands) {
    if (sub.run != nullptr && sub.name == args[0]) {
      return sub.run(std::vector<std::string>(args.begin() + 1, args.end()));
    }
  }
  std::fprintf(stderr, "ferry monitor: unknown command '%s'\n\n", args[0].c_str());
  PrintUsage(stderr);
  return 2;
}

}  // namespace ferry::cli
