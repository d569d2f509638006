#include "cli/pipeline/pipeline_command.h"

#include "cli/pipeline/pipeline_commands.h"
#include "cli/sub_commands.h"

namespace ferry::cli {
namespace {

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

}  // namespace

int PipelineCommand(const std::vector<std::string>& args) {
  return DispatchSubCommand(
      "pipeline",
      "Pipelines from a pipeline.yaml (docs/PIPELINES.md): validate, train, evaluate,\n"
      "package, sign, register, gate, promote and command steps as a DAG, run locally or on\n"
      "Slurm, with a step cache.",
      kSubCommands, args);
}

}  // namespace ferry::cli
