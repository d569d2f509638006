#include "runtime/mlflow/mlmodel.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <utility>

#include "common/fs.h"
#include "runtime/mlflow/signature.h"

namespace ferry::runtime::mlflow {
namespace {

// Reads fields of one YAML mapping; every error names the file and the field.
class Section {
 public:
  Section(const YAML::Node& node, std::string path, std::string field)
      : node_(node), path_(std::move(path)), field_(std::move(field)) {}

  absl::Status Error(std::string_view key, std::string_view why) const {
    const std::string where = key.empty() ? field_ : Join(key);
    return absl::InvalidArgumentError(path_ + ": " + where + ": " + std::string(why));
  }
  std::string Join(std::string_view key) const {
    return field_.empty() ? std::string(key) : field_ + "." + std::string(key);
  }

  // A scalar field; absent or null leaves `out` empty.
  absl::Status Scalar(std::string_view key, std::string& out) const {
    YAML::Node v = node_[std::string(key)];
    if (!v.IsDefined() || v.IsNull()) return absl::OkStatus();
    if (!v.IsScalar()) return Error(key, "expected a single value, found a list or mapping");
    out = v.Scalar();
    return absl::OkStatus();
  }

  // A scalar path inside the model directory: relative, no "..".
  absl::Status Path(std::string_view key, std::string& out) const {
    RETURN_IF_ERROR(Scalar(key, out));
    return CheckRelative(key, out);
  }

  absl::Status CheckRelative(std::string_view key, const std::string& p) const {
    if (p.empty()) return absl::OkStatus();
    bool dotdot = p == ".." || p.rfind("../", 0) == 0 || p.find("/../") != std::string::npos ||
                  (p.size() >= 3 && p.compare(p.size() - 3, 3, "/..") == 0);
    if (p[0] == '/' || dotdot || p.find('\0') != std::string::npos) {
      return Error(key, "path \"" + p + "\" leaves the model directory");
    }
    return absl::OkStatus();
  }

  // A mapping field; absent or null gives an undefined node.
  absl::StatusOr<YAML::Node> Map(std::string_view key) const {
    YAML::Node v = node_[std::string(key)];
    if (!v.IsDefined() || v.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
    if (!v.IsMap()) return Error(key, "expected a mapping");
    return v;
  }

  const std::string& path() const { return path_; }

 private:
  YAML::Node node_;
  std::string path_;
  std::string field_;
};

absl::Status ReadArtifacts(const Section& s, PyfuncFlavor& f) {
  ASSIGN_OR_RETURN(YAML::Node artifacts, s.Map("artifacts"));
  if (!artifacts.IsDefined()) return absl::OkStatus();
  for (const auto& kv : artifacts) {
    const std::string name = kv.first.Scalar();
    if (!kv.second.IsMap()) return s.Error("artifacts." + name, "expected a mapping");
    Section a(kv.second, s.path(), s.Join("artifacts." + name));
    std::string p;
    RETURN_IF_ERROR(a.Path("path", p));
    if (p.empty()) return a.Error("path", "missing");
    f.artifacts.emplace_back(name, p);
  }
  return absl::OkStatus();
}

absl::Status ReadPyfunc(const YAML::Node& node, const std::string& path, PyfuncFlavor& f) {
  Section s(node, path, "flavors.python_function");
  RETURN_IF_ERROR(s.Scalar("loader_module", f.loader_module));
  RETURN_IF_ERROR(s.Path("model_path", f.data));
  if (f.data.empty()) RETURN_IF_ERROR(s.Path("data", f.data));
  RETURN_IF_ERROR(s.Path("python_model", f.python_model));
  RETURN_IF_ERROR(s.Scalar("predict_fn", f.predict_fn));
  RETURN_IF_ERROR(s.Path("code", f.code));
  RETURN_IF_ERROR(s.Scalar("python_version", f.python_version));
  RETURN_IF_ERROR(s.Scalar("cloudpickle_version", f.cloudpickle_version));
  RETURN_IF_ERROR(ReadArtifacts(s, f));
  if (f.loader_module.empty() && f.python_model.empty()) {
    return s.Error("loader_module", "missing (and no python_model)");
  }
  return absl::OkStatus();
}

absl::Status ReadXgboost(const YAML::Node& node, const std::string& path, XgboostFlavor& f) {
  Section s(node, path, "flavors.xgboost");
  RETURN_IF_ERROR(s.Path("data", f.data));
  RETURN_IF_ERROR(s.Scalar("model_format", f.model_format));
  RETURN_IF_ERROR(s.Scalar("model_class", f.model_class));
  RETURN_IF_ERROR(s.Scalar("xgb_version", f.xgb_version));
  if (f.data.empty()) return s.Error("data", "missing");
  return absl::OkStatus();
}

absl::Status ReadSklearn(const YAML::Node& node, const std::string& path, SklearnFlavor& f) {
  Section s(node, path, "flavors.sklearn");
  RETURN_IF_ERROR(s.Path("pickled_model", f.pickled_model));
  RETURN_IF_ERROR(s.Scalar("serialization_format", f.serialization_format));
  return s.Scalar("sklearn_version", f.sklearn_version);
}

absl::Status ReadFlavors(const Section& top, MlModel& m) {
  ASSIGN_OR_RETURN(YAML::Node flavors, top.Map("flavors"));
  if (!flavors.IsDefined() || flavors.size() == 0) return top.Error("flavors", "missing or empty");
  for (const auto& kv : flavors) {
    const std::string name = kv.first.Scalar();
    m.flavors.push_back(name);
    const YAML::Node& body = kv.second;
    const bool known = name == "python_function" || name == "xgboost" || name == "sklearn";
    if (known && !body.IsMap()) return top.Error("flavors." + name, "expected a mapping");
    if (name == "python_function") {
      m.has_pyfunc = true;
      RETURN_IF_ERROR(ReadPyfunc(body, m.path, m.pyfunc));
    } else if (name == "xgboost") {
      m.has_xgboost = true;
      RETURN_IF_ERROR(ReadXgboost(body, m.path, m.xgboost));
    } else if (name == "sklearn") {
      m.has_sklearn = true;
      RETURN_IF_ERROR(ReadSklearn(body, m.path, m.sklearn));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadSignature(const Section& top, MlModel& m) {
  ASSIGN_OR_RETURN(YAML::Node sig, top.Map("signature"));
  if (!sig.IsDefined()) return absl::OkStatus();
  m.has_signature = true;
  Section s(sig, m.path, "signature");
  std::string inputs, outputs;
  RETURN_IF_ERROR(s.Scalar("inputs", inputs));
  RETURN_IF_ERROR(s.Scalar("outputs", outputs));
  auto in = ParseSignatureSide(inputs, "signature.inputs", "input");
  if (!in.ok())
    return absl::InvalidArgumentError(m.path + ": " + std::string(in.status().message()));
  auto out = ParseSignatureSide(outputs, "signature.outputs", "output");
  if (!out.ok()) {
    return absl::InvalidArgumentError(m.path + ": " + std::string(out.status().message()));
  }
  m.schema.inputs = std::move(*in);
  m.schema.outputs = std::move(*out);
  return absl::OkStatus();
}

absl::Status ReadTop(const YAML::Node& root, MlModel& m) {
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(m.path + ": expected a YAML mapping at the top level");
  }
  Section top(root, m.path, "");
  RETURN_IF_ERROR(ReadFlavors(top, m));
  RETURN_IF_ERROR(ReadSignature(top, m));
  RETURN_IF_ERROR(top.Scalar("mlflow_version", m.mlflow_version));
  RETURN_IF_ERROR(top.Scalar("run_id", m.run_id));
  ASSIGN_OR_RETURN(YAML::Node example, top.Map("saved_input_example_info"));
  if (example.IsDefined()) {
    Section s(example, m.path, "saved_input_example_info");
    RETURN_IF_ERROR(s.Path("artifact_path", m.input_example));
    RETURN_IF_ERROR(s.Scalar("type", m.input_example_type));
  }
  return absl::OkStatus();
}

// yaml-cpp 0.7 parses nested collections recursively without a depth limit, so hostile
// nesting ("[[[[...", "- - - - ...", deep indentation) would exhaust the stack. Real MLmodel
// files nest a few levels; bound the size, the bracket depth, the indentation and the block
// indicators opening a line before yaml-cpp sees the text.
absl::Status CheckBounds(std::string_view text, const std::string& path) {
  constexpr size_t kMaxBytes = size_t{1} << 20;
  constexpr int kMaxDepth = 64;
  if (text.size() > kMaxBytes) {
    return absl::InvalidArgumentError(path + ": larger than 1 MiB, not an MLmodel file");
  }
  int brackets = 0;
  size_t line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '[' || c == '{') ++brackets;
    if ((c == ']' || c == '}') && brackets > 0) --brackets;
    if (brackets > kMaxDepth) {
      return absl::InvalidArgumentError(path + ":" + std::to_string(line) +
                                        ": brackets nested deeper than 64");
    }
    if (i != 0 && text[i - 1] != '\n') continue;
    if (i != 0) ++line;
    size_t j = i;
    while (j < text.size() && text[j] == ' ') ++j;
    int depth = static_cast<int>(j - i);
    while (j + 1 < text.size() && (text[j] == '-' || text[j] == '?' || text[j] == ':') &&
           (text[j + 1] == ' ' || text[j + 1] == '\t')) {
      j += 2;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
      depth += 2;
    }
    if (depth > 2 * kMaxDepth) {
      return absl::InvalidArgumentError(path + ":" + std::to_string(line) +
                                        ": indented or nested deeper than an MLmodel file");
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool MlModel::HasFlavor(std::string_view name) const {
  return std::find(flavors.begin(), flavors.end(), name) != flavors.end();
}

absl::StatusOr<MlModel> ParseMlModel(std::string_view text, const std::string& path) {
  MlModel m;
  m.path = path;
  RETURN_IF_ERROR(CheckBounds(text, path));
  try {
    RETURN_IF_ERROR(ReadTop(YAML::Load(std::string(text)), m));
  } catch (const YAML::Exception& e) {
    const std::string where = e.mark.is_null() ? std::string()
                                               : ":" + std::to_string(e.mark.line + 1) + ":" +
                                                     std::to_string(e.mark.column + 1);
    return absl::InvalidArgumentError(path + where + ": not a valid MLmodel: " + e.msg);
  }
  return m;
}

bool IsMlflowModelDir(const std::string& dir) { return PathExists(JoinPath(dir, kMlModelFile)); }

absl::StatusOr<MlModel> ReadMlModel(const std::string& dir) {
  const std::string path = JoinPath(dir, kMlModelFile);
  if (!PathExists(path)) return absl::NotFoundError(dir + ": no MLmodel file");
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseMlModel(text, path);
}

}  // namespace ferry::runtime::mlflow
