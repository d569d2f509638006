// The project's side of `ferry maturity`: the pipeline file (through the pipeline spec
// parser, so what counts is what `ferry pipeline run` would run), the schema, CI files that
// run the pipeline, git, and the run records beside the pipeline file.

#include <algorithm>

#include "cli/maturity/gather.h"
#include "common/fs.h"
#include "pipeline/run_record.h"
#include "pipeline/spec.h"

namespace ferry::cli {
namespace {

using pipeline::maturity::ProjectFacts;

bool IsFerry(const std::string& program) {
  return program == "ferry" ||
         (program.size() > 6 && program.compare(program.size() - 6, 6, "/ferry") == 0);
}

// What a command step running the ferry binary does, as a kind ("" for anything else).
std::string CommandKind(const std::vector<std::string>& argv) {
  if (argv.size() < 2 || !IsFerry(argv[0])) return "";
  if (argv[1] == "gate" || argv[1] == "promote") return argv[1];
  if (argv[1] == "monitor" && argv.size() > 2) {
    if (argv[2] == "bias" || argv[2] == "drift") return argv[2];
  }
  return "";
}

void AddKind(ProjectFacts& p, const std::string& kind) {
  if (!kind.empty() && !p.HasKind(kind)) p.step_kinds.push_back(kind);
}

void ReadSpec(const std::string& dir, const pipeline::PipelineSpec& spec, ProjectFacts& p) {
  for (const auto& step : spec.steps) {
    if (step.kind == pipeline::StepKind::kCommand) {
      AddKind(p, CommandKind(step.argv));
    } else {
      AddKind(p, pipeline::StepKindName(step.kind));
    }
    if (step.retries > 0 || step.timeout_seconds > 0) p.retries = true;
    if (step.kind == pipeline::StepKind::kTrain && step.params.count("seed")) p.train_seed = true;
    auto schema = step.inputs.find("schema");
    if (step.kind == pipeline::StepKind::kValidate && schema != step.inputs.end() &&
        !schema->second.path.empty() && PathExists(JoinPath(dir, schema->second.path))) {
      p.schema_file = schema->second.path;
    }
  }
}

void FindPipeline(const std::string& dir, ProjectFacts& p) {
  for (const char* name : {"pipeline.yaml", "pipeline.yml"}) {
    if (!PathExists(JoinPath(dir, name))) continue;
    p.pipeline_file = name;
    auto spec = pipeline::LoadPipelineSpec(JoinPath(dir, name));
    if (!spec.ok()) {
      p.pipeline_error = std::string(spec.status().message());
      return;
    }
    ReadSpec(dir, *spec, p);
    return;
  }
}

// Whether the CI file at `path` runs the pipeline, and whether on a cron schedule.
void ReadCi(const std::string& dir, const std::string& file, ProjectFacts& p) {
  auto text = ReadFile(JoinPath(dir, file));
  if (!text.ok() || text->find("ferry pipeline run") == std::string::npos) return;
  p.ci_files.push_back(file);
  if (text->find("schedule:") != std::string::npos && text->find("cron:") != std::string::npos) {
    p.ci_schedules.push_back(file);
  }
}

void FindCi(const std::string& dir, ProjectFacts& p) {
  std::vector<std::string> candidates = {".gitlab-ci.yml", "Jenkinsfile", ".circleci/config.yml",
                                         "azure-pipelines.yml", "bitbucket-pipelines.yml"};
  if (auto flows = ListDir(JoinPath(dir, ".github/workflows")); flows.ok()) {
    std::sort(flows->begin(), flows->end());
    for (const auto& f : *flows) candidates.push_back(".github/workflows/" + f);
  }
  for (const auto& c : candidates) ReadCi(dir, c, p);
}

bool InGitTree(std::string dir) {
  if (dir.empty() || dir[0] != '/') dir = JoinPath(CurrentDir(), dir);
  while (!dir.empty()) {
    if (PathExists(JoinPath(dir, ".git"))) return true;
    const size_t slash = dir.rfind('/');
    if (slash == std::string::npos || dir == "/") break;
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
  return false;
}

void ReadRuns(const std::string& dir, ProjectFacts& p) {
  const std::string runs = JoinPath(dir, ".ferry/pipelines/runs");
  auto ids = ListDir(runs);
  if (!ids.ok()) return;
  for (const auto& id : *ids) {
    auto text = ReadFile(JoinPath(JoinPath(runs, id), "run.json"));
    if (!text.ok()) continue;
    auto run = pipeline::RunFromJson(*text);
    if (!run.ok()) continue;
    ++p.local_runs;
    if (run->trigger != "manual" && !run->trigger.empty() &&
        std::find(p.local_triggers.begin(), p.local_triggers.end(), run->trigger) ==
            p.local_triggers.end()) {
      p.local_triggers.push_back(run->trigger);
    }
  }
}

}  // namespace

ProjectFacts GatherProject(const std::string& dir) {
  ProjectFacts p;
  FindPipeline(dir, p);
  if (p.schema_file.empty() && PathExists(JoinPath(dir, "schema.json")))
    p.schema_file = "schema.json";
  FindCi(dir, p);
  p.git = InGitTree(dir);
  ReadRuns(dir, p);
  return p;
}

}  // namespace ferry::cli
