#include "pipeline/step_command.h"

#include <set>

namespace ferry::pipeline {
namespace {

// A value inserted before a later pass: its own "${" must stay text.
std::string Escaped(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value.compare(i, 2, "${") == 0) out += '$';
    out += value[i];
  }
  return out;
}

// Replaces ${group.NAME} from `values`; references whose group is in `deferred` (and "$${")
// are kept as written, for a later pass.
absl::StatusOr<std::string> Substitute(const std::string& text,
                                       const std::map<std::string, std::string>& values,
                                       const std::set<std::string>& deferred) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out += deferred.empty() ? "${" : "$${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    size_t end = text.find('}', i + 2);
    if (end == std::string::npos) {
      return absl::InvalidArgumentError("unterminated '${' in '" + text + "'");
    }
    const std::string ref = text.substr(i + 2, end - i - 2);
    const std::string group = ref.substr(0, ref.find('.'));
    auto it = values.find(ref);
    if (deferred.count(group)) {
      out += text.substr(i, end - i + 1);
    } else if (it != values.end()) {
      out += deferred.empty() ? it->second : Escaped(it->second);
    } else {
      return absl::InvalidArgumentError(
          "unknown reference '${" + ref +
          "}' (expected ${params.NAME} of a declared parameter, ${inputs.NAME} or "
          "${outputs.NAME} of this step, ${step.name} or ${step.dir})");
    }
    i = end + 1;
  }
  return out;
}

const std::set<std::string> kPathGroups = {"inputs", "outputs", "step"};

std::string Ref(const std::string& group, const std::string& name) {
  return "${" + group + "." + name + "}";
}

// Built-in kinds: what the step must declare.
absl::Status Require(const StepSpec& step, const std::vector<std::string>& inputs,
                     const std::vector<std::string>& outputs,
                     const std::vector<std::string>& params) {
  const std::string name = StepKindName(step.kind);
  const std::string kind =
      (std::string("aeiou").find(name[0]) != std::string::npos ? "n " : " ") + name;
  for (const std::string& in : inputs) {
    if (!step.inputs.count(in)) {
      return absl::InvalidArgumentError("a" + kind + " step needs inputs." + in);
    }
  }
  for (const std::string& out : outputs) {
    if (!step.outputs.count(out)) {
      return absl::InvalidArgumentError("a" + kind + " step needs outputs." + out);
    }
  }
  for (const std::string& p : params) {
    if (!step.params.count(p)) {
      return absl::InvalidArgumentError("a" + kind + " step needs params." + p);
    }
  }
  return absl::OkStatus();
}

// --key value for each param not in `skip`; train's unknown keys become --param key=value.
void AddParamFlags(const std::map<std::string, std::string>& params,
                   const std::set<std::string>& skip, const std::set<std::string>* known_flags,
                   std::vector<std::string>& argv) {
  for (const auto& [k, v] : params) {
    if (skip.count(k)) continue;
    if (known_flags != nullptr && !known_flags->count(k)) {
      argv.insert(argv.end(), {"--param", k + "=" + v});
    } else {
      argv.insert(argv.end(), {"--" + k, v});
    }
  }
}

// gate: the candidate's metrics (an evaluate step's output) against the thresholds file and,
// with a tracking server, against the champion's run metrics.
absl::StatusOr<std::vector<std::string>> GateArgv(const StepSpec& step,
                                                  const BuiltinContext& context,
                                                  const std::map<std::string, std::string>& p,
                                                  std::vector<std::string> argv) {
  RETURN_IF_ERROR(Require(step, {"metrics", "thresholds"}, {"blessing"}, {}));
  argv.insert(argv.end(), {"gate", "--candidate-metrics", Ref("inputs", "metrics"), "--thresholds",
                           Ref("inputs", "thresholds"), "--output", Ref("outputs", "blessing")});
  if (step.inputs.count("baseline")) {
    argv.insert(argv.end(), {"--baseline-metrics", Ref("inputs", "baseline")});
  }
  if (context.tracking_uri.empty()) {
    if (!p.count("baseline-alias")) argv.insert(argv.end(), {"--baseline-alias", ""});
  } else {
    argv.insert(argv.end(), {"--server", context.tracking_uri});
  }
  AddParamFlags(p, {}, nullptr, argv);
  return argv;
}

// promote: canary of the version a register step wrote, then promotion or rollback.
absl::StatusOr<std::vector<std::string>> PromoteArgv(const StepSpec& step,
                                                     const BuiltinContext& context,
                                                     const std::map<std::string, std::string>& p,
                                                     std::vector<std::string> argv) {
  RETURN_IF_ERROR(Require(step, {"version"}, {}, {}));
  if (context.tracking_uri.empty()) {
    return absl::InvalidArgumentError(
        "a promote step needs a tracking server: set tracking_uri in the pipeline or "
        "--tracking-uri");
  }
  argv.insert(argv.end(), {"promote", "--version-from", Ref("inputs", "version"), "--server",
                           context.tracking_uri});
  if (step.outputs.count("result")) argv.insert(argv.end(), {"--output", Ref("outputs", "result")});
  AddParamFlags(p, {}, nullptr, argv);
  return argv;
}

absl::StatusOr<std::vector<std::string>> BuiltinArgv(const StepSpec& step,
                                                     const BuiltinContext& context,
                                                     const std::map<std::string, std::string>& p) {
  std::vector<std::string> argv = {context.ferry_exe};
  switch (step.kind) {
    case StepKind::kValidate:
      RETURN_IF_ERROR(Require(step, {"data", "schema"}, {}, {}));
      argv.insert(argv.end(), {"monitor", "validate", "--schema", Ref("inputs", "schema"),
                               Ref("inputs", "data")});
      AddParamFlags(p, {}, nullptr, argv);
      return argv;
    case StepKind::kTrain: {
      RETURN_IF_ERROR(Require(step, {"data"}, {"package"}, {"family"}));
      static const std::set<std::string> kTrainFlags = {"target",     "test-fraction", "seed",
                                                        "experiment", "run-name",      "name",
                                                        "version",    "register"};
      argv.insert(argv.end(), {"train", p.at("family"), "--data", Ref("inputs", "data"), "--output",
                               Ref("outputs", "package")});
      AddParamFlags(p, {"family"}, &kTrainFlags, argv);
      if (context.tracking_uri.empty()) {
        argv.push_back("--no-tracking");
      } else {
        argv.insert(argv.end(), {"--tracking-uri", context.tracking_uri});
      }
      return argv;
    }
    case StepKind::kEvaluate:
      RETURN_IF_ERROR(Require(step, {"package"}, {"metrics"}, {}));
      argv.insert(argv.end(),
                  {"evaluate", Ref("inputs", "package"), "--output", Ref("outputs", "metrics")});
      AddParamFlags(p, {}, nullptr, argv);
      return argv;
    case StepKind::kPackage:
      RETURN_IF_ERROR(Require(step, {"model"}, {"package"}, {"name"}));
      argv.insert(argv.end(), {"package", "build", Ref("inputs", "model"), "--output",
                               Ref("outputs", "package")});
      AddParamFlags(p, {}, nullptr, argv);
      return argv;
    case StepKind::kSign:
      RETURN_IF_ERROR(Require(step, {"package", "key"}, {}, {}));
      argv.insert(argv.end(),
                  {"package", "sign", Ref("inputs", "package"), "--key", Ref("inputs", "key")});
      AddParamFlags(p, {}, nullptr, argv);
      return argv;
    case StepKind::kRegister:
      RETURN_IF_ERROR(Require(step, {"package"}, {}, {"model"}));
      if (context.tracking_uri.empty()) {
        return absl::InvalidArgumentError(
            "a register step needs a tracking server: set tracking_uri in the pipeline or "
            "--tracking-uri");
      }
      argv.insert(argv.end(), {"models", "register", p.at("model"), "--package",
                               Ref("inputs", "package"), "--tracking-uri", context.tracking_uri});
      if (step.outputs.count("version")) {
        argv.insert(argv.end(), {"--output", Ref("outputs", "version")});
      }
      AddParamFlags(p, {"model"}, nullptr, argv);
      return argv;
    case StepKind::kGate:
      return GateArgv(step, context, p, std::move(argv));
    case StepKind::kPromote:
      return PromoteArgv(step, context, p, std::move(argv));
    case StepKind::kCommand:
      break;
  }
  return absl::InternalError("a command step has no built-in command line");
}

}  // namespace

absl::StatusOr<std::string> Interpolate(const std::string& text,
                                        const std::map<std::string, std::string>& values) {
  return Substitute(text, values, {});
}

absl::StatusOr<std::map<std::string, std::string>> ResolveParameterRefs(
    const std::map<std::string, std::string>& templates,
    const std::map<std::string, std::string>& parameters) {
  std::map<std::string, std::string> values;
  for (const auto& [k, v] : parameters) values["params." + k] = v;
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : templates) {
    ASSIGN_OR_RETURN(out[k], Substitute(v, values, kPathGroups));
  }
  return out;
}

absl::StatusOr<std::map<std::string, std::string>> ResolvedStepParams(
    const StepSpec& step, const std::map<std::string, std::string>& parameters) {
  return ResolveParameterRefs(step.params, parameters);
}

absl::StatusOr<std::vector<std::string>> ArgvTemplate(
    const StepSpec& step, const BuiltinContext& context,
    const std::map<std::string, std::string>& parameters) {
  ASSIGN_OR_RETURN(auto params, ResolvedStepParams(step, parameters));
  if (step.kind != StepKind::kCommand) return BuiltinArgv(step, context, params);
  std::map<std::string, std::string> values;
  for (const auto& [k, v] : parameters) values["params." + k] = v;
  std::vector<std::string> argv;
  for (const std::string& arg : step.argv) {
    ASSIGN_OR_RETURN(std::string a, Substitute(arg, values, kPathGroups));
    argv.push_back(std::move(a));
  }
  return argv;
}

}  // namespace ferry::pipeline
