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
                "duration, and how many steps ran, were cached or failed.");
  DeclarePipelineLocationFlags(flags);
  if (auto exit = flags.ParseCommand(kCommand, args, 0)) return *exit;
  pipeline::RunStore runs(PipelineStateDir(flags));
  std::printf("%-24s %-16s %-10s %-19s %-8s %s\n", "RUN", "PIPELINE", "STATE", "STARTED (UTC)",
              "TIME", "STEPS ran/cached/failed");
  for (const pipeline::PipelineRun& run : runs.List()) {
    int ran = 0, cached = 0, failed = 0;
    for (const pipeline::StepRun& s : run.steps) {
      ran += s.state == pipeline::StepState::kSucceeded;
      cached += s.state == pipeline::StepState::kCached;
      failed += s.state == pipeline::StepState::kFailed;
    }
    const int64_t end = run.ended_ms != 0 ? run.ended_ms : pipeline::NowMs();
    std::printf("%-24s %-16s %-10s %-19s %-8s %d/%d/%d\n", run.id.c_str(), run.pipeline.c_str(),
                pipeline::RunStateName(run.state), Utc(run.started_ms).c_str(),
                FormatDuration(end - run.started_ms).c_str(), ran, cached, failed);
  }
  return kExitOk;
}

}  // namespace ferry::cli
