// The checks after parsing, each located: what a step refers to must exist (steps, their
// outputs, parameters, its own inputs and outputs), the kind must be supported, the graph
// must have no cycle.

#include <set>

#include "pipeline/dag.h"
#include "pipeline/spec.h"
#include "pipeline/step_command.h"

namespace ferry::pipeline {
namespace {

constexpr const char* kKindNames[] = {"validate", "train", "evaluate", "package", "sign",
                                      "register", "gate",  "promote",  "command"};

// The references a step may use in argv, params and env, each mapped to "".
std::map<std::string, std::string> AllowedReferences(const PipelineSpec& spec,
                                                     const StepSpec& step) {
  std::map<std::string, std::string> refs = {{"step.name", ""}, {"step.dir", ""}};
  for (const ParameterSpec& p : spec.parameters) refs["params." + p.name] = "";
  for (const auto& [name, input] : step.inputs) refs["inputs." + name] = "";
  for (const auto& [name, path] : step.outputs) refs["outputs." + name] = "";
  return refs;
}

absl::Status CheckReferences(const PipelineSpec& spec, const StepSpec& step) {
  const std::map<std::string, std::string> refs = AllowedReferences(spec, step);
  auto check = [&](const std::string& text, const std::string& field) -> absl::Status {
    absl::StatusOr<std::string> r = Interpolate(text, refs);
    if (r.ok()) return absl::OkStatus();
    return SpecError(spec, step.where,
                     "steps." + step.name + "." + field + ": " + std::string(r.status().message()));
  };
  for (const std::string& arg : step.argv) RETURN_IF_ERROR(check(arg, "argv"));
  for (const auto& [k, v] : step.params) RETURN_IF_ERROR(check(v, "params." + k));
  for (const auto& [k, v] : step.env) RETURN_IF_ERROR(check(v, "env." + k));
  std::map<std::string, std::string> params_only;
  for (const ParameterSpec& p : spec.parameters) params_only["params." + p.name] = "";
  for (const auto& [name, input] : step.inputs) {
    if (!input.path.empty() && !Interpolate(input.path, params_only).ok()) {
      return SpecError(spec, input.where,
                       "steps." + step.name + ".inputs." + name +
                           ": a path may refer only to ${params.NAME} of declared parameters");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckInputs(const PipelineSpec& spec, const StepSpec& step) {
  for (const auto& [name, input] : step.inputs) {
    if (input.from_step.empty()) continue;
    const std::string field = "steps." + step.name + ".inputs." + name;
    const StepSpec* from = spec.FindStep(input.from_step);
    if (from == nullptr) {
      return SpecError(spec, input.where, field + ": no step named '" + input.from_step + "'");
    }
    if (from == &step) return SpecError(spec, input.where, field + ": a step cannot read itself");
    if (!from->outputs.count(input.from_output)) {
      return SpecError(
          spec, input.where,
          field + ": step '" + input.from_step + "' has no output '" + input.from_output + "'");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckStep(const PipelineSpec& spec, const StepSpec& step) {
  RETURN_IF_ERROR(CheckInputs(spec, step));
  RETURN_IF_ERROR(CheckReferences(spec, step));
  std::map<std::string, std::string> defaults;
  for (const ParameterSpec& p : spec.parameters) defaults[p.name] = p.default_value;
  // The tracking URI may come from the command line: a register step without one fails
  // when it starts, with the same message.
  absl::StatusOr<std::vector<std::string>> argv =
      ArgvTemplate(step, BuiltinContext{"/ferry", "http://tracking.invalid"}, defaults);
  if (!argv.ok()) {
    return SpecError(spec, step.where,
                     "steps." + step.name + ": " + std::string(argv.status().message()));
  }
  return absl::OkStatus();
}

// Alert and registry triggers arrive as webhooks from the pipeline's tracking server.
absl::Status CheckTriggers(const PipelineSpec& spec) {
  for (size_t i = 0; i < spec.triggers.size(); ++i) {
    const TriggerSpec& t = spec.triggers[i];
    if (t.kind != TriggerKind::kAlert && t.kind != TriggerKind::kRegistryEvent) continue;
    if (spec.tracking_uri.empty()) {
      return SpecError(spec, Location{t.line, t.column},
                       "triggers[" + std::to_string(i) +
                           "]: " + (t.kind == TriggerKind::kAlert ? "an alert" : "a registry") +
                           " trigger needs the pipeline's tracking_uri (the server that sends "
                           "the webhooks)");
    }
  }
  return absl::OkStatus();
}

}  // namespace

const char* StepKindName(StepKind kind) { return kKindNames[static_cast<int>(kind)]; }

std::optional<StepKind> StepKindFromName(const std::string& name) {
  for (int i = 0; i < static_cast<int>(std::size(kKindNames)); ++i) {
    if (name == kKindNames[i]) return static_cast<StepKind>(i);
  }
  return std::nullopt;
}

const StepSpec* PipelineSpec::FindStep(const std::string& step_name) const {
  for (const StepSpec& s : steps) {
    if (s.name == step_name) return &s;
  }
  return nullptr;
}

const ParameterSpec* PipelineSpec::FindParameter(const std::string& param_name) const {
  for (const ParameterSpec& p : parameters) {
    if (p.name == param_name) return &p;
  }
  return nullptr;
}

absl::Status SpecError(const PipelineSpec& spec, Location where, const std::string& message) {
  std::string text = spec.file;
  if (where.line > 0) {
    text += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
  }
  return absl::InvalidArgumentError(text + ": " + message);
}

absl::Status CheckPipelineSpec(const PipelineSpec& spec) {
  for (const StepSpec& step : spec.steps) RETURN_IF_ERROR(CheckStep(spec, step));
  RETURN_IF_ERROR(CheckTriggers(spec));
  return Dag::Build(spec).status();
}

absl::StatusOr<std::map<std::string, std::string>> ResolveParameters(
    const PipelineSpec& spec, const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> values;
  for (const ParameterSpec& p : spec.parameters) values[p.name] = p.default_value;
  for (const auto& [name, value] : overrides) {
    if (spec.FindParameter(name) == nullptr) {
      std::string known;
      for (const ParameterSpec& p : spec.parameters) known += (known.empty() ? "" : ", ") + p.name;
      return absl::InvalidArgumentError("-p " + name + ": the pipeline declares no parameter '" +
                                        name + "' (declared: " + (known.empty() ? "none" : known) +
                                        ")");
    }
    values[name] = value;
  }
  return values;
}

}  // namespace ferry::pipeline
