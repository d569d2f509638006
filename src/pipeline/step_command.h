#pragma once
// A step as one command line. Command steps give their argv; built-in kinds compile to a
// `ferry <subcommand> ...` line of this same binary (docs/PIPELINES.md lists them), so every
// executor runs them alike. References in argv, params and env: ${params.NAME} (the run's
// parameter), ${inputs.NAME} and ${outputs.NAME} (absolute paths), ${step.NAME} (the step's).

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/spec.h"

namespace ferry::pipeline {

struct BuiltinContext {
  std::string ferry_exe;     // absolute path of this binary
  std::string tracking_uri;  // empty: built-in steps log nothing to tracking
};

// `text` with each ${group.NAME} replaced from `values` ("params.lr" -> "0.1"). An unknown
// reference or an unterminated "${" is kInvalidArgument naming it; "$${" stands for "${".
absl::StatusOr<std::string> Interpolate(const std::string& text,
                                        const std::map<std::string, std::string>& values);

// The step's command line with ${params.*} resolved and ${inputs.*}/${outputs.*} kept: the
// form the cache key covers (paths differ between runs, digests stand for the inputs).
absl::StatusOr<std::vector<std::string>> ArgvTemplate(
    const StepSpec& step, const BuiltinContext& context,
    const std::map<std::string, std::string>& parameters);

// `templates` (a step's params or env) with ${params.*} resolved and path references kept.
absl::StatusOr<std::map<std::string, std::string>> ResolveParameterRefs(
    const std::map<std::string, std::string>& templates,
    const std::map<std::string, std::string>& parameters);

// The step's params with ${params.*} resolved.
absl::StatusOr<std::map<std::string, std::string>> ResolvedStepParams(
    const StepSpec& step, const std::map<std::string, std::string>& parameters);

}  // namespace ferry::pipeline
