#include "cli/pipeline/pipeline_run.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cli/pipeline/pipeline_flags.h"
#include "cli/pipeline/run_observers.h"
#include "common/fs.h"
#include "common/strings.h"
#include "pipeline/executors/executors.h"

namespace ferry::cli {
namespace {

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

}  // namespace

void DeclarePipelineRunFlags(FlagSet& flags) {
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
}

absl::StatusOr<PipelineRunOptions> PipelineRunOptionsFromFlags(const FlagSet& flags) {
  PipelineRunOptions o;
  ASSIGN_OR_RETURN(o.overrides, Overrides(flags));
  std::optional<int64_t> concurrency = ParseInt64(flags.Get("concurrency"));
  if (!concurrency || *concurrency < 0 || *concurrency > 1024) {
    return absl::InvalidArgumentError("--concurrency must be 0-1024");
  }
  o.executor = flags.Get("executor");
  if (!o.executor.empty() && !pipeline::IsExecutorName(o.executor)) {
    return absl::InvalidArgumentError("--executor must be local or slurm, not '" + o.executor +
                                      "'");
  }
  o.file = flags.Get("file");
  o.state_dir = PipelineStateDir(flags);
  o.use_cache = !flags.GetBool("no-cache");
  o.concurrency = static_cast<int>(*concurrency);
  o.tracking_uri = flags.Get("tracking-uri");
  o.quiet = flags.GetBool("quiet");
  return o;
}

std::string ResolveTrackingUri(const std::string& flag, const pipeline::PipelineSpec& spec) {
  if (!flag.empty()) return flag;
  if (!spec.tracking_uri.empty()) return spec.tracking_uri;
  for (const char* var : {"FERRY_TRACKING_URI", "MLFLOW_TRACKING_URI"}) {
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0') return v;
  }
  return "";
}

absl::StatusOr<pipeline::PipelineRun> RunPipelineOnce(const PipelineRunOptions& o) {
  ASSIGN_OR_RETURN(pipeline::PipelineSpec spec, pipeline::LoadPipelineSpec(o.file));
  RETURN_IF_ERROR(MakeDirs(o.state_dir));
  pipeline::SchedulerOptions options;
  options.concurrency = o.concurrency;
  options.use_cache = o.use_cache;
  options.executor_override = o.executor;
  options.builtin.ferry_exe = SelfExe();
  options.builtin.tracking_uri = ResolveTrackingUri(o.tracking_uri, spec);
  options.cancel = o.cancel;
  options.trigger = o.trigger;
  options.folded_triggers = o.folded_triggers;
  pipeline::ExecutorOptions exec_options{o.concurrency > 0 ? o.concurrency : spec.concurrency,
                                         o.state_dir};
  std::vector<std::unique_ptr<pipeline::Executor>> owned;
  std::map<std::string, pipeline::Executor*> executors;
  for (const std::string& name :
       pipeline::Scheduler::ExecutorNames(spec, options.executor_override)) {
    ASSIGN_OR_RETURN(std::unique_ptr<pipeline::Executor> exec,
                     pipeline::MakeExecutor(name, exec_options));
    executors[name] = exec.get();
    owned.push_back(std::move(exec));
  }
  // A local child is reaped with one waitpid, so poll often (the per-step overhead is about
  // one interval); Slurm's squeue is not that cheap.
  const bool local_only = executors.size() == 1 && executors.count("local") == 1;
  options.poll_interval = std::chrono::milliseconds(local_only ? 10 : 250);
  ObserverList observers;
  if (!o.quiet) observers.Add(std::make_unique<ProgressPrinter>());
  if (!options.builtin.tracking_uri.empty()) {
    ASSIGN_OR_RETURN(std::unique_ptr<pipeline::RunObserver> recorder,
                     NewMlflowRecorder(options.builtin.tracking_uri));
    observers.Add(std::move(recorder));
  }
  if (o.observer != nullptr) observers.AddUnowned(o.observer);
  pipeline::RunStore runs(o.state_dir);
  pipeline::StepCache cache(o.state_dir);
  pipeline::Scheduler scheduler(spec, executors, runs, cache, options);
  ASSIGN_OR_RETURN(pipeline::PipelineRun run, scheduler.Run(o.overrides, &observers));
  std::printf("\n%s", RunSummary(run).c_str());
  std::fflush(stdout);
  return run;
}

}  // namespace ferry::cli
