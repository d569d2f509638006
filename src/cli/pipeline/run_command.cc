// `ferry pipeline run [-f pipeline.yaml] [-p k=v]... [--no-cache] [--executor local|slurm]`.

#include <signal.h>

#include <atomic>

#include "cli/pipeline/pipeline_commands.h"
#include "cli/pipeline/pipeline_run.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry pipeline run";

std::atomic<bool> g_cancel{false};

void OnSignal(int) { g_cancel.store(true); }

// SIGINT/SIGTERM cancel the run (its steps are killed, the record says cancelled).
class CancelOnSignal {
 public:
  CancelOnSignal() {
    struct sigaction sa {};
    sa.sa_handler = OnSignal;
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
  }
  ~CancelOnSignal() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace

int PipelineRunCommand(const std::vector<std::string>& args) {
  FlagSet flags(
      "ferry pipeline run [-f pipeline.yaml] [-p key=value]... [flags]",
      "Runs the pipeline: each step once its inputs are ready, independent steps in parallel\n"
      "(up to --concurrency), a step whose cache key (its command, parameters, input digests\n"
      "and Ferry's version) was seen before restored from the cache instead of run. Prints a\n"
      "line per step change and a summary table. Ctrl-C (or `ferry pipeline cancel RUN`)\n"
      "cancels the run. Exit status: 0 when every step succeeded or was cached, 1 otherwise.");
  DeclarePipelineRunFlags(flags);
  if (auto exit = flags.ParseCommand(kCommand, args, 0)) return *exit;
  absl::StatusOr<PipelineRunOptions> options = PipelineRunOptionsFromFlags(flags);
  if (!options.ok()) return flags.UsageError(kCommand, std::string(options.status().message()));
  g_cancel.store(false);
  options->cancel = &g_cancel;
  CancelOnSignal cancel_on_signal;
  absl::StatusOr<pipeline::PipelineRun> run = RunPipelineOnce(*options);
  if (!run.ok()) return Fail(kCommand, run.status());
  return run->state == pipeline::RunState::kSucceeded ? kExitOk : kExitFailure;
}

}  // namespace ferry::cli
