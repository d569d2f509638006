#pragma once
// A pipeline as written in pipeline.yaml, after parsing and checking (spec_parser.cc,
// spec_check.cc). Every value keeps where it was written, so later errors (a missing
// reference, a cycle) name file:line:column too. docs/PIPELINES.md describes the format.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/executors/executor.h"
#include "pipeline/trigger/trigger_spec.h"

namespace ferry::pipeline {

// 1-based; 0 when unknown (a value given on the command line).
struct Location {
  int line = 0;
  int column = 0;
};

enum class StepKind {
  kValidate,
  kTrain,
  kEvaluate,
  kPackage,
  kSign,
  kRegister,
  kGate,
  kPromote,
  kCommand
};
const char* StepKindName(StepKind kind);
// nullopt for a name that is no kind.
std::optional<StepKind> StepKindFromName(const std::string& name);

// One input: a path (relative to the pipeline file's directory) or another step's output.
struct InputSpec {
  std::string path;         // set for a file or directory
  std::string from_step;    // set for `steps.<step>.outputs.<output>`
  std::string from_output;  // with from_step
  Location where;
};

struct StepSpec {
  std::string name;
  StepKind kind = StepKind::kCommand;
  std::string executor;           // empty: the pipeline's
  std::vector<std::string> argv;  // command steps; may hold ${...} references
  std::map<std::string, InputSpec> inputs;
  std::map<std::string, std::string> outputs;  // name -> path relative to the step's work dir
  std::map<std::string, std::string> params;   // may hold ${params.X}
  std::map<std::string, std::string> env;      // command steps: added to the environment
  std::string cache_key;                       // command steps: an extra word for the cache key
  bool cache = true;
  Resources resources;
  int retries = 0;                      // further attempts after a failed one
  int64_t timeout_seconds = 0;          // per attempt; 0: none
  std::vector<std::string> depends_on;  // explicit; inputs from steps add implied ones
  Location where;
  std::map<std::string, Location> depends_on_where;
};

struct ParameterSpec {
  std::string name;
  std::string default_value;
  std::string description;
  Location where;
};

struct PipelineSpec {
  std::string file;      // as given (errors name it)
  std::string base_dir;  // absolute directory of the file: relative input paths start here
  std::string name;
  std::string executor = "local";
  int concurrency = 0;       // 0: the number of cores
  std::string tracking_uri;  // empty: no MLflow runs (unless the CLI is given one)
  std::vector<ParameterSpec> parameters;
  std::vector<StepSpec> steps;        // in file order
  std::vector<TriggerSpec> triggers;  // `ferry pipeline watch` evaluates them
  int64_t cooldown_seconds = 0;       // between runs that triggers start

  const StepSpec* FindStep(const std::string& name) const;
  const ParameterSpec* FindParameter(const std::string& name) const;
};

// Parses `text` (the contents of `file`) and checks it (spec_check.cc): kInvalidArgument with
// "<file>:<line>:<column>: <field>: <what was expected>" for the first error found.
// `base_dir` is where relative input paths start.
absl::StatusOr<PipelineSpec> ParsePipelineSpec(const std::string& text, const std::string& file,
                                               const std::string& base_dir);
// Reads and parses a pipeline file.
absl::StatusOr<PipelineSpec> LoadPipelineSpec(const std::string& path);

// The semantic checks after parsing: executor names, step kinds missing what they need,
// references to unknown steps, outputs and parameters, and cycles (named step by step).
absl::Status CheckPipelineSpec(const PipelineSpec& spec);

// The parameter values of one run: defaults overridden by `overrides` (from `-p key=value`).
// kInvalidArgument for an override that names no declared parameter.
absl::StatusOr<std::map<std::string, std::string>> ResolveParameters(
    const PipelineSpec& spec, const std::map<std::string, std::string>& overrides);

// "<file>:<line>:<column>: <message>" (no position when `where` is unknown).
absl::Status SpecError(const PipelineSpec& spec, Location where, const std::string& message);

}  // namespace ferry::pipeline
