#include "cli/pipeline/pipeline_flags.h"

#include <cstdio>

#include "common/fs.h"

namespace ferry::cli {

using pipeline::PipelineRun;
using pipeline::StepRun;
using pipeline::StepState;

void DeclarePipelineLocationFlags(FlagSet& flags) {
  flags.String("file", "pipeline.yaml", "the pipeline file");
  flags.Alias("f", "file");
  flags.String("state-dir", "",
               "where runs, logs and the step cache are kept (default: .ferry/pipelines beside "
               "the pipeline file)");
}

std::string PipelineStateDir(const FlagSet& flags) {
  if (!flags.Get("state-dir").empty()) return flags.Get("state-dir");
  const std::string& file = flags.Get("file");
  const size_t slash = file.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : file.substr(0, slash + 1);
  return JoinPath(dir, ".ferry/pipelines");
}

absl::StatusOr<PipelineRun> FindPipelineRun(const pipeline::RunStore& runs, const std::string& id) {
  if (!id.empty()) return runs.Load(id);
  std::vector<PipelineRun> all = runs.List();
  if (all.empty()) return absl::NotFoundError("no pipeline runs under " + runs.state_dir());
  return all.front();
}

std::string FormatDuration(int64_t ms) {
  if (ms < 0) return "-";
  char buf[32];
  if (ms < 60'000) {
    std::snprintf(buf, sizeof(buf), "%.1fs", static_cast<double>(ms) / 1000.0);
  } else {
    std::snprintf(buf, sizeof(buf), "%lldm%02llds", static_cast<long long>(ms / 60'000),
                  static_cast<long long>((ms / 1000) % 60));
  }
  return buf;
}

namespace {

int64_t StepMs(const StepRun& s) {
  if (s.started_ms == 0) return -1;
  return (s.ended_ms != 0 ? s.ended_ms : pipeline::NowMs()) - s.started_ms;
}

std::string Row(const std::string& a, const std::string& b, const std::string& c,
                const std::string& d, const std::string& e, const std::string& f) {
  char buf[512];
  std::snprintf(buf, sizeof(buf), "  %-20s %-9s %-10s %-8s %-8s %s\n", a.c_str(), b.c_str(),
                c.c_str(), d.c_str(), e.c_str(), f.c_str());
  return buf;
}

}  // namespace

std::string RunSummary(const PipelineRun& run) {
  int ran = 0, cached = 0, failed = 0, skipped = 0;
  for (const StepRun& s : run.steps) {
    ran += s.state == StepState::kSucceeded;
    cached += s.state == StepState::kCached;
    failed += s.state == StepState::kFailed;
    skipped += s.state == StepState::kSkipped;
  }
  const int64_t ms = (run.ended_ms != 0 ? run.ended_ms : pipeline::NowMs()) - run.started_ms;
  const std::string state = pipeline::RunStore::Orphaned(run)
                                ? "running, but its process " + std::to_string(run.pid) +
                                      " is gone (ferry pipeline cancel ends the record)"
                                : pipeline::RunStateName(run.state);
  std::string out = "run " + run.id + " (" + run.pipeline + "): " + state + " in " +
                    FormatDuration(ms) + "; " + std::to_string(run.steps.size()) +
                    " steps: " + std::to_string(ran) + " ran, " + std::to_string(cached) +
                    " cached, " + std::to_string(failed) + " failed, " + std::to_string(skipped) +
                    " skipped\n";
  out += "trigger: " + run.trigger + "\n";
  if (!run.folded_triggers.empty()) {
    out += "  and " + std::to_string(run.folded_triggers.size()) +
           " more that fired while it waited:\n";
    for (const std::string& t : run.folded_triggers) out += "    " + t + "\n";
  }
  out += Row("STEP", "KIND", "STATE", "ATTEMPTS", "TIME", "NOTE");
  for (const StepRun& s : run.steps) {
    out += Row(s.name, s.kind, pipeline::StepStateName(s.state), std::to_string(s.attempts),
               FormatDuration(StepMs(s)), s.reason);
  }
  return out;
}

}  // namespace ferry::cli
