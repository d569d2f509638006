#include "cli/pipeline/pipeline_command.h"

#include <cstdio>
#include <string_view>

#include "cli/pipeline/pipeline_commands.h"

namespace ferry::cli {
namespace {

struct SubCommand {
  std::string_view name;
  std::string_view summary;
  int (*run)(const std::vector<std::string>& args);
};

constexpr SubCommand kSubCommands[] = {
    {"run", "Run a pipeline: steps in parallel where they can, cached steps skipped",
     PipelineRunCommand},
    {"status", "A run's state and its steps (default: the latest run)", PipelineStatusCommand},
    {"logs", "A run's step logs, optionally following them", PipelineLogsCommand},
    {"cancel", "Cancel a running pipeline run", PipelineCancelCommand},
    {"list", "The recorded runs, newest first", PipelineListCommand},
    {"gc", "Remove cache entries no recorded run refers to", PipelineGcCommand},
    {"watch", "Run the pipeline whenever one of its triggers fires", PipelineWatchCommand},
};

void PrintUsage(std::FILE* out) {
  std::fprintf(
      out,
      "Usage: ferry pipeline <command> [flags]\n\n"
      "Pipelines from a pipeline.yaml (docs/PIPELINES.md): validate, train, evaluate,\n"
      "package, sign, register, gate, promote and command steps as a DAG, run locally or on\n"
      "Slurm, with a step cache.\n\nCommands:\n");
  for (const SubCommand& sub : kSubCommands) {
    std::fprintf(out, "  %-8.*s %.*s\n", static_cast<int>(sub.name.size()), sub.name.data(),
                 static_cast<int>(sub.summary.size()), sub.summary.data());
  }
  std::fprintf(out, "\nRun 'ferry pipeline <command> --help' for a command's flags.\n");
}

}  // namespace

int PipelineCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  for (const SubCommand& sub : kSubCommands) {
    if (sub.name == args[0]) return sub.run(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  std::fprintf(stderr, "ferry pipeline: unknown command '%s'\n\n", args[0].c_str());
  PrintUsage(stderr);
  return 2;
}

}  // namespace ferry::cli
