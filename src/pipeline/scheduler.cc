#include "pipeline/scheduler.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <thread>

#include "common/fs.h"
#include "pipeline/tree_digest.h"

namespace ferry::pipeline {
namespace {

// One step's place in a run.
struct Slot {
  const StepSpec* spec = nullptr;
  StepRun* rec = nullptr;
  Executor* executor = nullptr;
  StepJob job;
  std::string handle;
  std::map<std::string, std::string> outputs;  // name -> absolute path
  std::string key;
  int poll_errors = 0;  // in a row; a few are the executor's hiccups, not the job's end
};

// Poll errors in a row after which a job counts as failed (an squeue timeout is not one).
constexpr int kMaxPollErrors = 20;

// The scheduler's own lines in a step's log ("== ferry: ..."), between the attempts' output.
absl::Status AppendToFile(const std::string& path, const std::string& text) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!fd.valid()) return ErrnoStatus(errno, "open", path);
  return WriteAll(fd.get(), text, path);
}

// A sign step changes its input in place and has no outputs of its own: a cache hit would
// leave a restored (unsigned) package unsigned, so it always runs.
// Sign changes its input in place; register, gate and promote act on or depend on the
// server's state (the registry, the champion, live traffic), which no cache key can see.
bool Cacheable(const StepSpec& step) {
  return step.cache && step.kind != StepKind::kSign && step.kind != StepKind::kRegister &&
         step.kind != StepKind::kGate && step.kind != StepKind::kPromote;
}

bool Done(StepState s) { return s == StepState::kSucceeded || s == StepState::kCached; }

// Finds a program named without a '/' on PATH (StepJob wants an absolute argv[0]); a relative
// path with a '/' starts at the pipeline's directory.
std::string ResolveProgram(const std::string& program, const std::string& base_dir) {
  if (program.empty() || program[0] == '/') return program;
  if (program.find('/') != std::string::npos) return JoinPath(base_dir, program);
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = JoinPath(dirs.substr(start, end - start), program);
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return program;
}

// The state of one run while the scheduler drives it.
class RunLoop {
 public:
  RunLoop(const PipelineSpec& spec, const Dag& dag, PipelineRun& run, RunStore& runs,
          StepCache& cache, const SchedulerOptions& options, RunObserver* observer)
      : spec_(spec),
        dag_(dag),
        run_(run),
        runs_(runs),
        cache_(cache),
        options_(options),
        observer_(observer) {}

  absl::Status Init(const std::map<std::string, Executor*>& executors);
  void Drive();

 private:
  int Running() const;
  void Changed(Slot& slot);
  void Start(Slot& slot);
  absl::Status Prepare(Slot& slot, std::map<std::string, std::string>& values);
  void Submit(Slot& slot);
  void Check(Slot& slot);
  void Succeeded(Slot& slot);
  void Fail(Slot& slot, StepState state, const std::string& reason);
  bool CancelWanted() const;
  void CancelAll();

  const PipelineSpec& spec_;
  const Dag& dag_;
  PipelineRun& run_;
  RunStore& runs_;
  StepCache& cache_;
  const SchedulerOptions& options_;
  RunObserver* observer_;
  std::vector<Slot> slots_;  // by dag index
  int limit_ = 1;
  bool cancelling_ = false;
  uint64_t changes_ = 0;  // step state changes so far (Drive polls fast right after one)
};

absl::Status RunLoop::Init(const std::map<std::string, Executor*>& executors) {
  const std::string run_dir = runs_.RunDir(run_.id);
  slots_.resize(dag_.size());
  run_.steps.resize(dag_.size());
  int pos = 0;
  for (int i : dag_.order()) {
    Slot& slot = slots_[i];
    slot.spec = &spec_.steps[i];
    slot.rec = &run_.steps[pos++];
    StepRun& rec = *slot.rec;
    rec.name = slot.spec->name;
    rec.kind = StepKindName(slot.spec->kind);
    rec.executor = !options_.executor_override.empty() ? options_.executor_override
                   : !slot.spec->executor.empty()      ? slot.spec->executor
                                                       : spec_.executor;
    auto it = executors.find(rec.executor);
    if (it == executors.end() || it->second == nullptr) {
      return absl::FailedPreconditionError("no executor '" + rec.executor + "' for step " +
                                           rec.name);
    }
    slot.executor = it->second;
    rec.work_dir = JoinPath(run_dir, "steps/" + rec.name);
    rec.log_path = JoinPath(run_dir, "logs/" + rec.name + ".log");
  }
  limit_ = options_.concurrency > 0 ? options_.concurrency
           : spec_.concurrency > 0  ? spec_.concurrency
                                    : static_cast<int>(std::thread::hardware_concurrency());
  if (limit_ < 1) limit_ = 1;
  RETURN_IF_ERROR(MakeDirs(JoinPath(run_dir, "logs")));
  return MakeDirs(JoinPath(run_dir, "steps"));
}

int RunLoop::Running() const {
  int n = 0;
  for (const Slot& s : slots_) n += s.rec->state == StepState::kRunning;
  return n;
}

void RunLoop::Changed(Slot& slot) {
  ++changes_;
  if (observer_ != nullptr) observer_->OnStepChanged(run_, *slot.rec);
  (void)runs_.Save(run_);
}

bool RunLoop::CancelWanted() const {
  return (options_.cancel != nullptr && options_.cancel->load()) || runs_.CancelRequested(run_.id);
}

void RunLoop::CancelAll() {
  cancelling_ = true;
  for (Slot& slot : slots_) {
    if (slot.rec->state == StepState::kRunning) {
      (void)slot.executor->Cancel(slot.handle);
    } else if (slot.rec->state == StepState::kPending) {
      slot.rec->state = StepState::kCancelled;
      slot.rec->reason = "the run was cancelled";
      Changed(slot);
    }
  }
}

void RunLoop::Drive() {
  auto next_progress = std::chrono::steady_clock::now() + options_.progress_interval;
  std::chrono::milliseconds wait{1};
  for (;;) {
    const uint64_t changes_before = changes_;
    if (observer_ != nullptr && std::chrono::steady_clock::now() >= next_progress) {
      observer_->OnProgress(run_);
      next_progress += options_.progress_interval;
    }
    if (!cancelling_ && CancelWanted()) CancelAll();
    bool open = false;
    for (int i : dag_.order()) {
      Slot& slot = slots_[i];
      if (slot.rec->state == StepState::kRunning) Check(slot);
      if (slot.rec->state != StepState::kPending) continue;
      open = true;
      bool ready = true;
      for (int up : dag_.upstream(i)) ready &= Done(slots_[up].rec->state);
      if (ready && !cancelling_ && Running() < limit_) Start(slot);
    }
    if (!open && Running() == 0) return;
    // A step that just started may end at once: poll again after 1 ms, then back off to the
    // poll interval while nothing moves (a step's end is seen within ~1 ms, not a whole interval).
    wait = changes_ != changes_before ? std::chrono::milliseconds(1)
                                      : std::min(wait * 2, options_.poll_interval);
    std::this_thread::sleep_for(wait);
  }
}

void RunLoop::Fail(Slot& slot, StepState state, const std::string& reason) {
  StepRun& rec = *slot.rec;
  rec.state = state;
  rec.reason = reason;
  rec.ended_ms = NowMs();
  Changed(slot);
  if (state != StepState::kFailed) return;
  for (int d : dag_.Dependants(dag_.index(rec.name))) {
    StepRun& dep = *slots_[d].rec;
    if (dep.state != StepState::kPending) continue;
    dep.state = StepState::kSkipped;
    dep.reason = "upstream step " + rec.name + " failed";
    Changed(slots_[d]);
  }
}

absl::Status RunLoop::Prepare(Slot& slot, std::map<std::string, std::string>& values) {
  const StepSpec& step = *slot.spec;
  StepRun& rec = *slot.rec;
  for (const auto& [k, v] : run_.parameters) values["params." + k] = v;
  for (const auto& [name, input] : step.inputs) {
    std::string path;
    if (input.from_step.empty()) {
      ASSIGN_OR_RETURN(path, Interpolate(input.path, values));
      if (path.empty() || path[0] != '/') path = JoinPath(spec_.base_dir, path);
    } else {
      const Slot& from = slots_[dag_.index(input.from_step)];
      path = from.outputs.at(input.from_output);
    }
    absl::StatusOr<std::string> digest = PathDigest(path);
    if (!digest.ok()) {
      return absl::FailedPreconditionError("input " + name + ": " +
                                           std::string(digest.status().message()));
    }
    rec.input_digests[name] = *digest;
    rec.input_sources[name] = input.from_step.empty()
                                  ? path
                                  : "steps." + input.from_step + ".outputs." + input.from_output;
    values["inputs." + name] = path;
  }
  for (const auto& [name, rel] : step.outputs) {
    slot.outputs[name] = JoinPath(rec.work_dir, rel);
    values["outputs." + name] = slot.outputs[name];
  }
  values["step.name"] = rec.name;
  values["step.dir"] = rec.work_dir;
  return MakeDirs(rec.work_dir);
}

// A built-in step's key names `ferry` and Ferry's version, never where the binary lies.
absl::StatusOr<std::string> KeyOf(const StepSpec& step, const SchedulerOptions& options,
                                  const PipelineRun& run, const StepRun& rec) {
  CacheKeyParts parts;
  parts.kind = StepKindName(step.kind);
  BuiltinContext context = options.builtin;
  context.ferry_exe = "ferry";
  ASSIGN_OR_RETURN(parts.argv, ArgvTemplate(step, context, run.parameters));
  ASSIGN_OR_RETURN(parts.params, ResolvedStepParams(step, run.parameters));
  parts.input_digests = rec.input_digests;
  parts.outputs = step.outputs;
  if (step.kind == StepKind::kCommand) {
    // Resolved, so a parameter that reaches the command only through env still counts.
    ASSIGN_OR_RETURN(auto env, ResolveParameterRefs(step.env, run.parameters));
    for (const auto& [k, v] : env) parts.extras["env." + k] = v;
    parts.extras["cache_key"] = step.cache_key;
  } else {
    parts.extras["ferry_version"] = options.ferry_version;
  }
  return CacheKey(parts);
}

void RunLoop::Start(Slot& slot) {
  StepRun& rec = *slot.rec;
  rec.started_ms = NowMs();
  std::map<std::string, std::string> values;
  if (absl::Status s = Prepare(slot, values); !s.ok()) {
    return Fail(slot, StepState::kFailed, std::string(s.message()));
  }
  absl::StatusOr<std::string> key = KeyOf(*slot.spec, options_, run_, rec);
  absl::StatusOr<std::vector<std::string>> argv =
      ArgvTemplate(*slot.spec, options_.builtin, run_.parameters);
  if (!key.ok() || !argv.ok()) {
    return Fail(slot, StepState::kFailed,
                std::string((key.ok() ? argv.status() : key.status()).message()));
  }
  rec.cache_key = *key;
  if (options_.use_cache && Cacheable(*slot.spec)) {
    absl::StatusOr<CacheEntry> hit = cache_.Restore(*key, slot.spec->outputs, rec.work_dir);
    if (hit.ok()) {
      rec.state = StepState::kCached;
      rec.cache_hit = true;
      rec.output_digests = hit->output_digests;
      rec.reason = "cached: produced by run " + hit->run_id;
      rec.ended_ms = NowMs();
      return Changed(slot);
    }
  }
  StepJob& job = slot.job;
  job.argv.clear();
  for (const std::string& arg : *argv) {
    absl::StatusOr<std::string> a = Interpolate(arg, values);
    if (!a.ok()) return Fail(slot, StepState::kFailed, std::string(a.status().message()));
    job.argv.push_back(*a);
  }
  job.argv[0] = ResolveProgram(job.argv[0], spec_.base_dir);
  for (const auto& [k, v] : slot.spec->env) {
    absl::StatusOr<std::string> e = Interpolate(v, values);
    if (!e.ok()) return Fail(slot, StepState::kFailed, std::string(e.status().message()));
    job.env[k] = *e;
  }
  job.env["FERRY_PIPELINE_RUN"] = run_.id;
  job.env["FERRY_PIPELINE_STEP"] = rec.name;
  // The pipeline's MLflow run: `ferry train` tags its own run as this run's child (lineage).
  if (!run_.mlflow_run_id.empty()) job.env["FERRY_PIPELINE_MLFLOW_RUN"] = run_.mlflow_run_id;
  job.work_dir = rec.work_dir;
  job.log_path = rec.log_path;
  job.timeout_seconds = slot.spec->timeout_seconds;
  job.resources = slot.spec->resources;
  Submit(slot);
}

void RunLoop::Submit(Slot& slot) {
  StepRun& rec = *slot.rec;
  ++rec.attempts;
  slot.job.id = run_.id + "." + rec.name + "." + std::to_string(rec.attempts);
  std::string header = "== ferry: " + rec.name + " attempt " + std::to_string(rec.attempts) +
                       " of " + std::to_string(slot.spec->retries + 1) + ":";
  for (const std::string& a : slot.job.argv) header += " " + a;
  (void)AppendToFile(rec.log_path, header + "\n");
  // A failed attempt's outputs must not pass for this attempt's (the digest check would
  // accept a stale file an attempt that exits 0 did not rewrite).
  for (const auto& [name, path] : slot.outputs) {
    if (absl::Status removed = RemoveTree(path); !removed.ok()) {
      return Fail(slot, StepState::kFailed, std::string(removed.message()));
    }
  }
  absl::StatusOr<std::string> handle = slot.executor->Submit(slot.job);
  if (!handle.ok()) {
    return Fail(slot, StepState::kFailed, std::string(handle.status().message()));
  }
  slot.handle = *handle;
  rec.job_handle = *handle;
  rec.state = StepState::kRunning;
  rec.reason.clear();
  Changed(slot);
}

void RunLoop::Check(Slot& slot) {
  absl::StatusOr<JobStatus> status = slot.executor->Poll(slot.handle);
  if (status.ok()) slot.poll_errors = 0;
  if (status.ok() && !IsFinal(status->state)) return;
  if (!status.ok() && absl::IsUnavailable(status.status()) && ++slot.poll_errors < kMaxPollErrors &&
      !cancelling_) {
    return;  // the executor could not answer this time; ask again
  }
  StepRun& rec = *slot.rec;
  // The executor lost track of a job that may still run: stop it before a retry or the end.
  if (!status.ok()) (void)slot.executor->Cancel(slot.handle);
  JobStatus st = status.ok()
                     ? *status
                     : JobStatus{JobState::kFailed, 1, std::string(status.status().message())};
  rec.exit_code = st.exit_code;
  if (st.state == JobState::kSucceeded) return Succeeded(slot);
  if (cancelling_) return Fail(slot, StepState::kCancelled, "the run was cancelled");
  // Cancelled by someone else (scancel, pre-emption): a failure of this attempt, so retries
  // and the skipping of dependants apply (a cancelled step would leave them pending).
  std::string reason =
      st.state == JobState::kTimedOut
          ? "timed out after " + std::to_string(slot.spec->timeout_seconds) + "s"
      : st.state == JobState::kCancelled
          ? "cancelled by the executor, not by this run" +
                (st.reason.empty() ? "" : ": " + st.reason)
          : (st.reason.empty() ? "exit " + std::to_string(st.exit_code) : st.reason);
  reason = "attempt " + std::to_string(rec.attempts) + ": " + reason;
  (void)AppendToFile(rec.log_path, "== ferry: " + reason + "\n");
  if (rec.attempts <= slot.spec->retries) {
    rec.reason = reason;
    return Submit(slot);
  }
  Fail(slot, StepState::kFailed, reason);
}

void RunLoop::Succeeded(Slot& slot) {
  StepRun& rec = *slot.rec;
  for (const auto& [name, path] : slot.outputs) {
    absl::StatusOr<std::string> digest = PathDigest(path);
    if (!digest.ok()) {
      return Fail(
          slot, StepState::kFailed,
          "the step did not write its output " + name + " (" + slot.spec->outputs.at(name) + ")");
    }
    rec.output_digests[name] = *digest;
  }
  rec.state = StepState::kSucceeded;
  rec.ended_ms = NowMs();
  if (Cacheable(*slot.spec)) {
    CacheEntry entry{rec.cache_key, run_.id, rec.name, rec.output_digests};
    if (absl::Status s = cache_.Store(entry, slot.outputs); !s.ok()) {
      rec.reason = "not cached: " + std::string(s.message());
    }
  }
  Changed(slot);
}

}  // namespace

std::vector<std::string> Scheduler::ExecutorNames(const PipelineSpec& spec,
                                                  const std::string& override_name) {
  if (!override_name.empty()) return {override_name};
  std::vector<std::string> names = {spec.executor};
  for (const StepSpec& step : spec.steps) {
    if (!step.executor.empty() &&
        std::find(names.begin(), names.end(), step.executor) == names.end()) {
      names.push_back(step.executor);
    }
  }
  return names;
}

absl::StatusOr<PipelineRun> Scheduler::Run(const std::map<std::string, std::string>& overrides,
                                           RunObserver* observer) {
  ASSIGN_OR_RETURN(auto parameters, ResolveParameters(spec_, overrides));
  ASSIGN_OR_RETURN(Dag dag, Dag::Build(spec_));
  PipelineRun run;
  ASSIGN_OR_RETURN(run.id, runs_.NewRun());
  run.pipeline = spec_.name;
  run.file = spec_.file;
  run.trigger = options_.trigger;
  run.folded_triggers = options_.folded_triggers;
  run.parameters = parameters;
  run.started_ms = NowMs();
  run.pid = static_cast<int>(::getpid());
  RunLoop loop(spec_, dag, run, runs_, cache_, options_, observer);
  RETURN_IF_ERROR(loop.Init(executors_));
  RETURN_IF_ERROR(runs_.Save(run));
  if (observer != nullptr) observer->OnRunStarted(run);
  loop.Drive();
  run.ended_ms = NowMs();
  run.state = RunState::kSucceeded;
  for (const StepRun& s : run.steps) {
    if (s.state == StepState::kCancelled) run.state = RunState::kCancelled;
    if (s.state == StepState::kFailed && run.state != RunState::kCancelled) {
      run.state = RunState::kFailed;
    }
  }
  if (observer != nullptr) observer->OnRunFinished(run);
  RETURN_IF_ERROR(runs_.Save(run));
  return run;
}

}  // namespace ferry::pipeline
