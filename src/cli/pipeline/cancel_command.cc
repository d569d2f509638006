// `ferry pipeline cancel RUN`.

#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/pipeline/pipeline_commands.h"
#include "cli/pipeline/pipeline_flags.h"
#include "common/strings.h"

namespace ferry::cli {

int PipelineCancelCommand(const std::vector<std::string>& args) {
  constexpr char kCommand[] = "ferry pipeline cancel";
  FlagSet flags("ferry pipeline cancel RUN [flags]",
                "Cancels a running pipeline run: its running steps are killed (their whole\n"
                "process groups, or scancel on Slurm), the steps not started are marked\n"
                "cancelled. Waits until the run has ended (--wait seconds, 0: do not wait).");
  DeclarePipelineLocationFlags(flags);
  flags.String("wait", "30", "seconds to wait for the run to end");
  if (auto exit = flags.ParseCommand(kCommand, args, 1)) return *exit;
  std::optional<int64_t> wait = ParseInt64(flags.Get("wait"));
  if (!wait || *wait < 0) return flags.UsageError(kCommand, "--wait must be a number of seconds");
  pipeline::RunStore runs(PipelineStateDir(flags));
  const std::string& id = flags.positional()[0];
  auto run = runs.Load(id);
  if (!run.ok()) return Fail(kCommand, run.status());
  if (run->state != pipeline::RunState::kRunning) {
    std::printf("run %s already ended: %s\n", id.c_str(), pipeline::RunStateName(run->state));
    return kExitOk;
  }
  if (pipeline::RunStore::Orphaned(*run)) {
    // Nobody will read the marker: end the record here.
    if (absl::Status s = runs.EndOrphan(*run); !s.ok()) return Fail(kCommand, s);
    std::printf("run %s: cancelled (its process %d was gone)\n", id.c_str(), run->pid);
    return kExitOk;
  }
  if (absl::Status s = runs.RequestCancel(id); !s.ok()) return Fail(kCommand, s);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*wait);
  while (std::chrono::steady_clock::now() < deadline) {
    run = runs.Load(id);
    if (run.ok() && run->state != pipeline::RunState::kRunning) {
      std::printf("run %s: %s\n", id.c_str(), pipeline::RunStateName(run->state));
      return kExitOk;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::printf("run %s: cancel requested\n", id.c_str());
  return kExitOk;
}

}  // namespace ferry::cli
