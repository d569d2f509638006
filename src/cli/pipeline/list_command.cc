// `ferry pipeline list`.

#include <cstdio>
#include <ctime>

#include "cli/pipeline/pipeline_commands.h"
#include "cli/pipeline/pipeline_flags.h"

namespace ferry::cli {
namespace {

std::string Utc(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

}  // namespace

int PipelineListCommand(const std::vector<std::string>& args) {
  constexpr char kCommand[] = "ferry pipeline list";
  FlagSet flags("ferry pipeline list [flags]",
                "Lists the recorded runs, newest first: id, pipeline, state, start (UTC),\n"
                "duration, how many steps ran, were cached or failed, and what triggered the\n"
                "run (`manual`, or the trigger of `ferry pipeline watch`, with +N for the\n"
                "triggers folded into it).");
  DeclarePipelineLocationFlags(flags);
  if (auto exit = flags.ParseCommand(kCommand, args, 0)) return *exit;
  pipeline::RunStore runs(PipelineStateDir(flags));
  std::printf("%-24s %-16s %-10s %-19s %-8s %-23s %s\n", "RUN", "PIPELINE", "STATE",
              "STARTED (UTC)", "TIME", "STEPS ran/cached/failed", "TRIGGER");
  for (const pipeline::PipelineRun& run : runs.List()) {
    int ran = 0, cached = 0, failed = 0;
    for (const pipeline::StepRun& s : run.steps) {
      ran += s.state == pipeline::StepState::kSucceeded;
      cached += s.state == pipeline::StepState::kCached;
      failed += s.state == pipeline::StepState::kFailed;
    }
    const int64_t end = run.ended_ms != 0 ? run.ended_ms : pipeline::NowMs();
    const std::string steps =
        std::to_string(ran) + "/" + std::to_string(cached) + "/" + std::to_string(failed);
    std::string trigger = run.trigger;
    if (!run.folded_triggers.empty()) {
      trigger += " (+" + std::to_string(run.folded_triggers.size()) + ")";
    }
    std::printf("%-24s %-16s %-10s %-19s %-8s %-23s %s\n", run.id.c_str(), run.pipeline.c_str(),
                pipeline::RunStateName(run.state), Utc(run.started_ms).c_str(),
                FormatDuration(end - run.started_ms).c_str(), steps.c_str(), trigger.c_str());
  }
  return kExitOk;
}

}  // namespace ferry::cli
