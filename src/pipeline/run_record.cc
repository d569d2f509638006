#include "pipeline/run_record.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <random>

#include "common/fs.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/process.h"

namespace ferry::pipeline {
namespace {

constexpr const char* kStepStates[] = {"pending", "running", "succeeded", "cached",
                                       "failed",  "skipped", "cancelled"};
constexpr const char* kRunStates[] = {"running", "succeeded", "failed", "cancelled"};

void WriteMap(JsonWriter& w, std::string_view key, const std::map<std::string, std::string>& m) {
  w.Key(key).BeginObject();
  for (const auto& [k, v] : m) w.Field(k, v);
  w.EndObject();
}

void WriteStep(JsonWriter& w, const StepRun& s) {
  w.BeginObject()
      .Field("name", s.name)
      .Field("kind", s.kind)
      .Field("executor", s.executor)
      .Field("state", StepStateName(s.state))
      .Field("attempts", int64_t{s.attempts})
      .FieldBool("cache_hit", s.cache_hit)
      .Field("cache_key", s.cache_key)
      .Field("job_handle", s.job_handle)
      .Field("started_ms", s.started_ms)
      .Field("ended_ms", s.ended_ms)
      .Field("exit_code", int64_t{s.exit_code})
      .Field("reason", s.reason);
  WriteMap(w, "input_digests", s.input_digests);
  WriteMap(w, "output_digests", s.output_digests);
  w.Field("log_path", s.log_path).Field("work_dir", s.work_dir);
  w.Field("mlflow_run_id", s.mlflow_run_id).EndObject();
}

std::string Str(const JsonValue& v, const char* key) {
  const JsonValue* f = v.Find(key);
  return f != nullptr && f->is_string() ? f->as_string() : std::string();
}

int64_t Int(const JsonValue& v, const char* key) {
  const JsonValue* f = v.Find(key);
  return f != nullptr && f->is_integer() ? f->as_int() : 0;
}

std::map<std::string, std::string> StrMap(const JsonValue& v, const char* key) {
  std::map<std::string, std::string> out;
  const JsonValue* f = v.Find(key);
  if (f == nullptr || !f->is_object()) return out;
  for (const auto& [k, value] : f->members()) {
    if (value.is_string()) out[k] = value.as_string();
  }
  return out;
}

template <typename E, size_t N>
E FromName(const char* const (&names)[N], const std::string& name, E fallback) {
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<E>(i);
  }
  return fallback;
}

StepRun StepFromJson(const JsonValue& v) {
  StepRun s;
  s.name = Str(v, "name");
  s.kind = Str(v, "kind");
  s.executor = Str(v, "executor");
  s.state = FromName(kStepStates, Str(v, "state"), StepState::kPending);
  s.attempts = static_cast<int>(Int(v, "attempts"));
  const JsonValue* hit = v.Find("cache_hit");
  s.cache_hit = hit != nullptr && hit->is_bool() && hit->as_bool();
  s.cache_key = Str(v, "cache_key");
  s.job_handle = Str(v, "job_handle");
  s.started_ms = Int(v, "started_ms");
  s.ended_ms = Int(v, "ended_ms");
  s.exit_code = static_cast<int>(Int(v, "exit_code"));
  s.reason = Str(v, "reason");
  s.input_digests = StrMap(v, "input_digests");
  s.output_digests = StrMap(v, "output_digests");
  s.log_path = Str(v, "log_path");
  s.work_dir = Str(v, "work_dir");
  s.mlflow_run_id = Str(v, "mlflow_run_id");
  return s;
}

bool ValidRunId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

}  // namespace

const char* StepStateName(StepState state) { return kStepStates[static_cast<int>(state)]; }
const char* RunStateName(RunState state) { return kRunStates[static_cast<int>(state)]; }

bool IsFinalStep(StepState state) {
  return state != StepState::kPending && state != StepState::kRunning;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string RunToJson(const PipelineRun& run) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject()
      .Field("id", run.id)
      .Field("pipeline", run.pipeline)
      .Field("file", run.file)
      .Field("trigger", run.trigger)
      .Field("state", RunStateName(run.state))
      .Field("started_ms", run.started_ms)
      .Field("ended_ms", run.ended_ms)
      .Field("pid", int64_t{run.pid})
      .Field("mlflow_run_id", run.mlflow_run_id);
  w.Key("folded_triggers").BeginArray();
  for (const std::string& t : run.folded_triggers) w.String(t);
  w.EndArray();
  WriteMap(w, "parameters", run.parameters);
  w.Key("steps").BeginArray();
  for (const StepRun& s : run.steps) WriteStep(w, s);
  w.EndArray().EndObject();
  return out + "\n";
}

absl::StatusOr<PipelineRun> RunFromJson(const std::string& json) {
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(json));
  if (!v.is_object()) return absl::InvalidArgumentError("a run record must be a JSON object");
  PipelineRun run;
  run.id = Str(v, "id");
  run.pipeline = Str(v, "pipeline");
  run.file = Str(v, "file");
  run.trigger = Str(v, "trigger");
  if (const JsonValue* folded = v.Find("folded_triggers"); folded && folded->is_array()) {
    for (const JsonValue& t : folded->items()) {
      if (t.is_string()) run.folded_triggers.push_back(t.as_string());
    }
  }
  run.state = FromName(kRunStates, Str(v, "state"), RunState::kFailed);
  run.started_ms = Int(v, "started_ms");
  run.ended_ms = Int(v, "ended_ms");
  run.pid = static_cast<int>(Int(v, "pid"));
  run.mlflow_run_id = Str(v, "mlflow_run_id");
  run.parameters = StrMap(v, "parameters");
  if (const JsonValue* steps = v.Find("steps"); steps != nullptr && steps->is_array()) {
    for (const JsonValue& s : steps->items()) run.steps.push_back(StepFromJson(s));
  }
  return run;
}

RunStore::RunStore(std::string state_dir)
    : state_dir_(!state_dir.empty() && state_dir[0] == '/' ? std::move(state_dir)
                                                           : JoinPath(CurrentDir(), state_dir)) {}

std::string RunStore::RunDir(const std::string& run_id) const {
  return JoinPath(state_dir_, "runs/" + run_id);
}

absl::StatusOr<std::string> RunStore::NewRun() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
  std::random_device rd;
  for (int tries = 0; tries < 16; ++tries) {
    char suffix[8];
    std::snprintf(suffix, sizeof(suffix), "%06x", rd() & 0xffffff);
    const std::string id = std::string(stamp) + "-" + suffix;
    if (PathExists(RunDir(id))) continue;
    RETURN_IF_ERROR(MakeDirs(RunDir(id)));
    return id;
  }
  return absl::InternalError("could not pick a fresh run id");
}

absl::Status RunStore::Save(const PipelineRun& run) const {
  return WriteFileAtomic(JoinPath(RunDir(run.id), "run.json"), RunToJson(run));
}

absl::StatusOr<PipelineRun> RunStore::Load(const std::string& run_id) const {
  if (!ValidRunId(run_id)) return absl::InvalidArgumentError("not a run id: '" + run_id + "'");
  absl::StatusOr<std::string> text = ReadFile(JoinPath(RunDir(run_id), "run.json"));
  if (!text.ok()) {
    return absl::NotFoundError("no run '" + run_id + "' under " + state_dir_ +
                               " (ferry pipeline list shows the runs)");
  }
  return RunFromJson(*text);
}

std::vector<PipelineRun> RunStore::List() const {
  std::vector<PipelineRun> runs;
  absl::StatusOr<std::vector<std::string>> ids = ListDir(JoinPath(state_dir_, "runs"));
  if (!ids.ok()) return runs;
  for (const std::string& id : *ids) {
    absl::StatusOr<PipelineRun> run = Load(id);
    if (run.ok()) runs.push_back(*std::move(run));
  }
  std::sort(runs.begin(), runs.end(), [](const PipelineRun& a, const PipelineRun& b) {
    return a.started_ms != b.started_ms ? a.started_ms > b.started_ms : a.id > b.id;
  });
  return runs;
}

absl::Status RunStore::RequestCancel(const std::string& run_id) const {
  ASSIGN_OR_RETURN(PipelineRun run, Load(run_id));
  (void)run;
  return WriteFileAtomic(JoinPath(RunDir(run_id), "cancel"), "cancel\n");
}

bool RunStore::Orphaned(const PipelineRun& run) {
  return run.state == RunState::kRunning && run.pid > 0 && ::kill(run.pid, 0) != 0 &&
         errno == ESRCH;
}

// Steps run with FERRY_PIPELINE_RUN=<run id> in their environment, which their children
// inherit: whatever of them outlived the process that ran the pipeline (killed by SIGKILL or
// a hang-up) is found by it, asked to stop, and killed after a grace period.
static void StopLeftoverSteps(const std::string& run_id) {
  const std::string entry = "FERRY_PIPELINE_RUN=" + run_id;
  std::vector<int> pids = ProcessesWithEnv(entry);
  if (pids.empty()) return;
  for (int pid : pids) ::kill(pid, SIGTERM);
  for (int i = 0; i < 40 && !pids.empty(); ++i) {
    ::usleep(50000);
    pids = ProcessesWithEnv(entry);
  }
  for (int pid : pids) ::kill(pid, SIGKILL);
}

absl::Status RunStore::EndOrphan(PipelineRun& run) const {
  StopLeftoverSteps(run.id);
  const int64_t now = NowMs();
  for (StepRun& s : run.steps) {
    if (IsFinalStep(s.state)) continue;
    s.state = StepState::kCancelled;
    s.reason = "the process running the pipeline (pid " + std::to_string(run.pid) + ") is gone";
    s.ended_ms = now;
  }
  run.state = RunState::kCancelled;
  run.ended_ms = now;
  return Save(run);
}

bool RunStore::CancelRequested(const std::string& run_id) const {
  return PathExists(JoinPath(RunDir(run_id), "cancel"));
}

}  // namespace ferry::pipeline
