// `ferry pipeline run [-f pipeline.yaml] [-p k=v]... [--no-cache] [--executor local|slurm]`.

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "cli/pipeline/pipeline_commands.h"
#include "cli/pipeline/pipeline_flags.h"
#include "cli/pipeline/run_observers.h"
#include "common/fs.h"
#include "common/strings.h"
#include "pipeline/executors.h"
#include "pipeline/scheduler.h"

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

absl::StatusOr<std::map<std::string, std::string>> Overrides(const FlagSet& flags) {
  std::map<std::string, std::string> out;
  for (const std::string& item : flags.GetAll("param")) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return absl::InvalidArgumentError("-p \"" + item + "\": expected key=value");
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

// This binary, resolved once: built-in steps run it.
std::string SelfExe() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("ferry");
}

std::string TrackingUri(const FlagSet& flags, const pipeline::PipelineSpec& spec) {
  if (!flags.Get("tracking-uri").empty()) return flags.Get("tracking-uri");
  if (!spec.tracking_uri.empty()) return spec.tracking_uri;
  for (const char* var : {"FERRY_TRACKING_URI", "MLFLOW_TRACKING_URI"}) {
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0') return v;
  }
  return "";
}

int Run(const FlagSet& flags, int concurrency) {
  absl::StatusOr<std::map<std::string, std::string>> overrides = Overrides(flags);
  if (!overrides.ok()) return flags.UsageError(kCommand, std::string(overrides.status().message()));
  absl::StatusOr<pipeline::PipelineSpec> spec = pipeline::LoadPipelineSpec(flags.Get("file"));
  if (!spec.ok()) return Fail(kCommand, spec.status());
  const std::string state_dir = PipelineStateDir(flags);
  if (absl::Status s = MakeDirs(state_dir); !s.ok()) return Fail(kCommand, s);
  pipeline::SchedulerOptions options;
  options.concurrency = concurrency;
  options.use_cache = !flags.GetBool("no-cache");
  options.executor_override = flags.Get("executor");
  options.builtin.ferry_exe = SelfExe();
  options.builtin.tracking_uri = TrackingUri(flags, *spec);
  options.cancel = &g_cancel;
  pipeline::ExecutorOptions exec_options{concurrency > 0 ? concurrency : spec->concurrency,
                                         state_dir};
  std::vector<std::unique_ptr<pipeline::Executor>> owned;
  std::map<std::string, pipeline::Executor*> executors;
  for (const std::string& name :
       pipeline::Scheduler::ExecutorNames(*spec, options.executor_override)) {
    auto exec = pipeline::MakeExecutor(name, exec_options);
    if (!exec.ok()) return Fail(kCommand, exec.status());
    executors[name] = exec->get();
    owned.push_back(*std::move(exec));
  }
  // A local child is reaped with one waitpid, so poll often (the per-step overhead is about
  // one interval); Slurm's squeue is not that cheap.
  const bool local_only = executors.size() == 1 && executors.count("local") == 1;
  options.poll_interval = std::chrono::milliseconds(local_only ? 10 : 250);
  ObserverList observers;
  if (!flags.GetBool("quiet")) observers.Add(std::make_unique<ProgressPrinter>());
  if (!options.builtin.tracking_uri.empty()) {
    auto recorder = NewMlflowRecorder(options.builtin.tracking_uri);
    if (!recorder.ok()) return Fail(kCommand, recorder.status());
    observers.Add(*std::move(recorder));
  }
  pipeline::RunStore runs(state_dir);
  pipeline::StepCache cache(state_dir);
  pipeline::Scheduler scheduler(*spec, executors, runs, cache, options);
  g_cancel.store(false);
  CancelOnSignal cancel_on_signal;
  absl::StatusOr<pipeline::PipelineRun> run = scheduler.Run(*overrides, &observers);
  if (!run.ok()) return Fail(kCommand, run.status());
  std::printf("\n%s", RunSummary(*run).c_str());
  return run->state == pipeline::RunState::kSucceeded ? kExitOk : kExitFailure;
}

}  // namespace

int PipelineRunCommand(const std::vector<std::string>& args) {
  FlagSet flags(
      "ferry pipeline run [-f pipeline.yaml] [-p key=value]... [flags]",
      "Runs the pipeline: each step once its inputs are ready, independent steps in parallel\n"
      "(up to --concurrency), a step whose cache key (its command, parameters, input digests\n"
      "and Ferry's version) was seen before restored from the cache instead of run. Prints a\n"
      "line per step change and a summary table. Ctrl-C (or `ferry pipeline cancel RUN`)\n"
      "cancels the run. Exit status: 0 when every step succeeded or was cached, 1 otherwise.");
  DeclarePipelineLocationFlags(flags);
  flags.Repeated("param", "override a pipeline parameter: key=value (repeatable)");
  flags.Alias("p", "param");
  flags.Bool("no-cache", "run every step, even those with a cache entry");
  flags.String("executor", "", "run every step on this executor: local or slurm");
  flags.String("concurrency", "0", "steps running at once (0: the pipeline's, else the cores)");
  flags.String("tracking-uri", "",
               "record the run and its steps as MLflow runs there (default: the pipeline's "
               "tracking_uri, else FERRY_TRACKING_URI / MLFLOW_TRACKING_URI, else none)");
  flags.Bool("quiet", "no progress lines, only the summary");
  if (auto exit = flags.ParseCommand(kCommand, args, 0)) return *exit;
  std::optional<int64_t> concurrency = ParseInt64(flags.Get("concurrency"));
  if (!concurrency || *concurrency < 0 || *concurrency > 1024) {
    return flags.UsageError(kCommand, "--concurrency must be 0-1024");
  }
  const std::string& executor = flags.Get("executor");
  if (!executor.empty() && !pipeline::IsExecutorName(executor)) {
    return flags.UsageError(kCommand, "--executor must be local or slurm, not '" + executor + "'");
  }
  return Run(flags, static_cast<int>(*concurrency));
}

}  // namespace ferry::cli
