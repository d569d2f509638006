// `ferry pipeline status [RUN] [--format text|json]`.

#include <cstdio>

#include "cli/pipeline/pipeline_commands.h"
#include "cli/pipeline/pipeline_flags.h"

namespace ferry::cli {

int PipelineStatusCommand(const std::vector<std::string>& args) {
  constexpr char kCommand[] = "ferry pipeline status";
  FlagSet flags("ferry pipeline status [RUN] [flags]",
                "Prints a run's state, parameters and steps (state, attempts, time, cache\n"
                "hits, why a step failed or was skipped); the latest run when RUN is not given.\n"
                "--format json prints the run record (docs/PIPELINES.md).");
  DeclarePipelineLocationFlags(flags);
  flags.String("format", "text", "text or json");
  if (auto exit = flags.ParseCommand(kCommand, args)) return *exit;
  if (flags.positional().size() > 1) return flags.UsageError(kCommand, "give at most one RUN");
  const std::string& format = flags.Get("format");
  if (format != "text" && format != "json") {
    return flags.UsageError(kCommand, "--format must be text or json, not '" + format + "'");
  }
  pipeline::RunStore runs(PipelineStateDir(flags));
  auto run = FindPipelineRun(runs, flags.positional().empty() ? "" : flags.positional()[0]);
  if (!run.ok()) return Fail(kCommand, run.status());
  if (format == "json") {
    std::fputs(pipeline::RunToJson(*run).c_str(), stdout);
    return kExitOk;
  }
  std::fputs(RunSummary(*run).c_str(), stdout);
  if (!run->parameters.empty()) {
    std::printf("parameters:");
    for (const auto& [k, v] : run->parameters) std::printf(" %s=%s", k.c_str(), v.c_str());
    std::printf("\n");
  }
  return kExitOk;
}

}  // namespace ferry::cli
