// pipeline.yaml -> PipelineSpec with yaml-cpp (the helpers in spec_yaml.h; triggers in
// spec_trigger_parser.cc). yaml-cpp's exceptions stay in these files; every error is
// "<file>:<line>:<column>: <field>: expected ..., got ..." at the node at fault.

#include "common/fs.h"
#include "common/strings.h"
#include "pipeline/executors/executors.h"
#include "pipeline/spec.h"
#include "pipeline/spec_yaml.h"

namespace ferry::pipeline {
namespace {

using internal::At;
using internal::Boolean;
using internal::Duration;
using internal::Fail;
using internal::ForEachEntry;
using internal::Integer;
using internal::Scalar;
using internal::Shown;
using internal::SpecFailure;

std::map<std::string, std::string> StringMap(const YAML::Node& node, const std::string& field) {
  std::map<std::string, std::string> out;
  ForEachEntry(node, field, {},
               [&](const std::string& key, const YAML::Node& value, const YAML::Node&) {
                 out[key] = Scalar(value, field + "." + key);
               });
  return out;
}

std::vector<std::string> StringList(const YAML::Node& node, const std::string& field) {
  if (!node.IsSequence()) Fail(node, field, "expected a list of strings, got " + Shown(node));
  std::vector<std::string> out;
  for (const auto& item : node) out.push_back(Scalar(item, field + "[]"));
  return out;
}

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  }
  return true;
}

std::string Name(const YAML::Node& key_node, const std::string& field) {
  std::string name = Scalar(key_node, field);
  if (!ValidName(name)) {
    Fail(key_node, field, "expected a name of letters, digits, '_' or '-', got " + Shown(key_node));
  }
  return name;
}

InputSpec ParseInput(const YAML::Node& node, const std::string& field) {
  InputSpec input;
  input.where = At(node);
  const std::string value = Scalar(node, field);
  if (value.empty()) Fail(node, field, "expected a path or steps.<step>.outputs.<output>");
  if (StartsWith(value, "steps.")) {
    std::vector<std::string_view> parts = SplitString(value, '.');
    if (parts.size() != 4 || parts[2] != "outputs" || parts[1].empty() || parts[3].empty()) {
      Fail(node, field, "expected steps.<step>.outputs.<output>, got " + Shown(node));
    }
    input.from_step = std::string(parts[1]);
    input.from_output = std::string(parts[3]);
  } else {
    input.path = value;
  }
  return input;
}

std::map<std::string, std::string> ParseOutputs(const YAML::Node& node, const std::string& field) {
  std::map<std::string, std::string> out;
  auto add = [&](const YAML::Node& at, const std::string& name, const std::string& path) {
    if (!ValidName(name)) Fail(at, field, "expected an output name, got '" + name + "'");
    if (path.empty() || path[0] == '/' || ("/" + path + "/").find("/../") != std::string::npos) {
      Fail(at, field + "." + name, "expected a relative path inside the step's directory");
    }
    if (!out.emplace(name, path).second) Fail(at, field, "output '" + name + "' given twice");
  };
  if (node.IsSequence()) {
    for (const auto& item : node) add(item, Scalar(item, field + "[]"), Scalar(item, field));
    return out;
  }
  ForEachEntry(node, field, {},
               [&](const std::string& key, const YAML::Node& value, const YAML::Node& key_node) {
                 add(key_node, key, Scalar(value, field + "." + key));
               });
  return out;
}

Resources ParseResources(const YAML::Node& node, const std::string& field) {
  Resources r;
  ForEachEntry(node, field, {"cpus", "memory_mb", "partition"},
               [&](const std::string& key, const YAML::Node& value, const YAML::Node&) {
                 const std::string f = field + "." + key;
                 if (key == "cpus") r.cpus = static_cast<int>(Integer(value, f, 1, 4096));
                 if (key == "memory_mb") r.memory_mb = Integer(value, f, 0, 1LL << 30);
                 if (key == "partition") r.partition = Scalar(value, f);
               });
  return r;
}

void ParseStepField(StepSpec& step, const std::string& key, const YAML::Node& value,
                    const std::string& field) {
  if (key == "kind") {
    const std::string kind = Scalar(value, field);
    std::optional<StepKind> k = StepKindFromName(kind);
    if (!k) {
      Fail(value, field,
           "unknown step kind '" + kind +
               "'; expected validate, train, evaluate, package, sign, register, gate, "
               "promote or command");
    }
    step.kind = *k;
  } else if (key == "executor") {
    step.executor = Scalar(value, field);
    if (!IsExecutorName(step.executor)) {
      Fail(value, field, "unknown executor '" + step.executor + "'; expected local or slurm");
    }
  } else if (key == "argv") {
    step.argv = StringList(value, field);
    if (step.argv.empty()) Fail(value, field, "expected at least the program");
  } else if (key == "inputs") {
    ForEachEntry(value, field, {},
                 [&](const std::string& name, const YAML::Node& v, const YAML::Node& key_node) {
                   if (!ValidName(name))
                     Fail(key_node, field, "expected an input name, got '" + name + "'");
                   step.inputs[name] = ParseInput(v, field + "." + name);
                 });
  } else if (key == "outputs") {
    step.outputs = ParseOutputs(value, field);
  } else if (key == "params") {
    step.params = StringMap(value, field);
  } else if (key == "env") {
    step.env = StringMap(value, field);
  } else if (key == "cache_key") {
    step.cache_key = Scalar(value, field);
  } else if (key == "cache") {
    step.cache = Boolean(value, field);
  } else if (key == "resources") {
    step.resources = ParseResources(value, field);
  } else if (key == "retries") {
    step.retries = static_cast<int>(Integer(value, field, 0, 100));
  } else if (key == "timeout") {
    step.timeout_seconds = Duration(value, field);
  } else if (key == "depends_on") {
    if (!value.IsSequence())
      Fail(value, field, "expected a list of step names, got " + Shown(value));
    for (const auto& item : value) {
      const std::string name = Scalar(item, field + "[]");
      step.depends_on.push_back(name);
      step.depends_on_where[name] = At(item);
    }
  }
}

StepSpec ParseStep(const std::string& name, const YAML::Node& key_node, const YAML::Node& node) {
  StepSpec step;
  step.name = name;
  step.where = At(key_node);
  const std::string field = "steps." + name;
  bool has_kind = false;
  ForEachEntry(node, field,
               {"kind", "executor", "argv", "inputs", "outputs", "params", "env", "cache_key",
                "cache", "resources", "retries", "timeout", "depends_on"},
               [&](const std::string& key, const YAML::Node& value, const YAML::Node&) {
                 has_kind |= key == "kind";
                 ParseStepField(step, key, value, field + "." + key);
               });
  if (!has_kind) Fail(node, field, "missing 'kind' (validate, train, ..., command)");
  if (step.kind == StepKind::kCommand && step.argv.empty()) {
    Fail(node, field, "a command step needs 'argv' (a list: the program and its arguments)");
  }
  if (step.kind != StepKind::kCommand && !step.argv.empty()) {
    Fail(node, field + ".argv", "only command steps take argv; built-in kinds use params");
  }
  return step;
}

ParameterSpec ParseParameter(const std::string& name, const YAML::Node& key_node,
                             const YAML::Node& node) {
  ParameterSpec p;
  p.name = name;
  p.where = At(key_node);
  if (!node.IsMap()) {
    p.default_value = Scalar(node, "parameters." + name);
    return p;
  }
  ForEachEntry(node, "parameters." + name, {"default", "description"},
               [&](const std::string& key, const YAML::Node& value, const YAML::Node&) {
                 const std::string f = "parameters." + name + "." + key;
                 (key == "default" ? p.default_value : p.description) = Scalar(value, f);
               });
  return p;
}

void ParseTop(const YAML::Node& root, PipelineSpec& spec) {
  if (!root.IsMap()) Fail(root, "pipeline", "expected a mapping at the top, got " + Shown(root));
  bool has_steps = false;
  ForEachEntry(
      root, "pipeline",
      {"name", "executor", "concurrency", "tracking_uri", "parameters", "steps", "triggers",
       "cooldown"},
      [&](const std::string& key, const YAML::Node& value, const YAML::Node&) {
        if (key == "name") spec.name = Name(value, "name");
        if (key == "tracking_uri") spec.tracking_uri = Scalar(value, key);
        if (key == "triggers") spec.triggers = internal::ParseTriggers(value);
        if (key == "cooldown") spec.cooldown_seconds = Duration(value, key);
        if (key == "concurrency") {
          spec.concurrency = static_cast<int>(Integer(value, key, 1, 1024));
        }
        if (key == "executor") {
          spec.executor = Scalar(value, key);
          if (!IsExecutorName(spec.executor)) {
            Fail(value, key, "unknown executor '" + spec.executor + "'; expected local or slurm");
          }
        }
        if (key == "parameters") {
          ForEachEntry(value, key, {},
                       [&](const std::string& n, const YAML::Node& v, const YAML::Node& k) {
                         spec.parameters.push_back(ParseParameter(Name(k, "parameters"), k, v));
                         (void)n;
                       });
        }
        if (key == "steps") {
          has_steps = true;
          ForEachEntry(value, key, {},
                       [&](const std::string&, const YAML::Node& v, const YAML::Node& k) {
                         spec.steps.push_back(ParseStep(Name(k, "steps"), k, v));
                       });
        }
      });
  if (spec.name.empty()) Fail(root, "pipeline", "missing 'name'");
  if (!has_steps || spec.steps.empty()) Fail(root, "pipeline", "missing 'steps' (at least one)");
}

}  // namespace

absl::StatusOr<PipelineSpec> ParsePipelineSpec(const std::string& text, const std::string& file,
                                               const std::string& base_dir) {
  PipelineSpec spec;
  spec.file = file;
  spec.base_dir = base_dir;
  try {
    ParseTop(YAML::Load(text), spec);
  } catch (const SpecFailure& f) {
    return SpecError(spec, f.where, f.message);
  } catch (const YAML::Exception& e) {
    Location where;
    if (!e.mark.is_null()) where = {e.mark.line + 1, e.mark.column + 1};
    return SpecError(spec, where, "not valid YAML: " + e.msg);
  }
  RETURN_IF_ERROR(CheckPipelineSpec(spec));
  return spec;
}

absl::StatusOr<PipelineSpec> LoadPipelineSpec(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  std::string dir = path.find('/') == std::string::npos ? "" : path.substr(0, path.rfind('/'));
  if (dir.empty() && path[0] == '/') dir = "/";
  if (dir.empty() || dir == ".") dir = CurrentDir();
  if (dir[0] != '/') dir = JoinPath(CurrentDir(), dir);
  return ParsePipelineSpec(text, path, dir);
}

}  // namespace ferry::pipeline
