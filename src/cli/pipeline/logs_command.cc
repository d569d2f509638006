// `ferry pipeline logs RUN [STEP] [--follow]`.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "cli/pipeline/pipeline_commands.h"
#include "cli/pipeline/pipeline_flags.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry pipeline logs";

// Copies what `path` holds past `*offset` to stdout; moves `*offset` on.
void CopyNew(const std::string& path, std::streamoff* offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  in.seekg(*offset);
  char buf[65536];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    std::fwrite(buf, 1, static_cast<size_t>(in.gcount()), stdout);
    *offset += in.gcount();
  }
  std::fflush(stdout);
}

}  // namespace

int PipelineLogsCommand(const std::vector<std::string>& args) {
  FlagSet flags("ferry pipeline logs RUN [STEP] [flags]",
                "Prints the logs of a run's steps (stdout and stderr of every attempt, with a\n"
                "'== ferry:' line before each), or of one STEP. --follow keeps printing what\n"
                "the steps write until the run ends.");
  DeclarePipelineLocationFlags(flags);
  flags.Bool("follow", "keep printing until the run ends");
  if (auto exit = flags.ParseCommand(kCommand, args)) return *exit;
  const auto& pos = flags.positional();
  if (pos.empty() || pos.size() > 2) return flags.UsageError(kCommand, "give RUN and maybe STEP");
  pipeline::RunStore runs(PipelineStateDir(flags));
  auto run = runs.Load(pos[0]);
  if (!run.ok()) return Fail(kCommand, run.status());
  std::vector<std::string> steps;
  for (const pipeline::StepRun& s : run->steps) {
    if (pos.size() == 1 || s.name == pos[1]) steps.push_back(s.name);
  }
  if (steps.empty()) {
    return Fail(kCommand, absl::NotFoundError("run " + pos[0] + " has no step '" + pos[1] + "'"));
  }
  std::map<std::string, std::streamoff> offsets;
  const std::string log_dir = runs.RunDir(pos[0]) + "/logs/";
  for (;;) {
    const bool ended = run->state != pipeline::RunState::kRunning;
    for (const std::string& step : steps) {
      if (steps.size() > 1 && !flags.GetBool("follow")) std::printf("--- %s\n", step.c_str());
      CopyNew(log_dir + step + ".log", &offsets[step]);
    }
    if (!flags.GetBool("follow") || ended) return kExitOk;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto again = runs.Load(pos[0]);
    if (again.ok()) run = *std::move(again);
  }
}

}  // namespace ferry::cli
