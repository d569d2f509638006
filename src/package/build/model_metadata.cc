#include "package/build/model_metadata.h"

#include "common/fs.h"
#include "common/json.h"
#include "common/strings.h"

namespace ferry::package {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

absl::Status ReadPackageFile(const std::string& dir, PackageConfig& c) {
  const std::string path = JoinPath(dir, kPackageMetadataFile);
  if (!PathExists(path)) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  auto doc = ParseJson(text);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(path + ": " + std::string(StatusMessage(doc.status())));
  }
  absl::Status s = MergePartialConfig(*doc, c);
  if (!s.ok()) return absl::InvalidArgumentError(path + ": " + std::string(StatusMessage(s)));
  return absl::OkStatus();
}

// MLmodel is YAML; only two top-level scalars and the flavor names are needed, so a line
// scan is enough.
void ReadMlModel(const std::string& dir, PackageConfig& c) {
  auto text = ReadFile(JoinPath(dir, "MLmodel"));
  if (!text.ok()) return;
  bool in_flavors = false;
  std::string flavor;
  for (std::string_view line : SplitString(*text, '\n')) {
    if (StartsWith(line, "run_id:") && c.ferry.source_run_id.empty()) {
      c.ferry.source_run_id = std::string(Trim(line.substr(7)));
    }
    if (!line.empty() && line[0] != ' ') in_flavors = StartsWith(line, "flavors:");
    bool flavor_line = in_flavors && StartsWith(line, "  ") && line.size() > 2 && line[2] != ' ';
    if (flavor_line && flavor.empty()) flavor = std::string(Trim(line.substr(0, line.find(':'))));
    if (flavor_line && StartsWith(line, "  python_function:")) flavor = "python_function";
  }
  if (!c.ferry.predictor.has_value()) {
    c.ferry.predictor = PredictorEntry{"pyfunc", "mlflow", flavor, "MLmodel"};
  }
}

void ReadRequirements(const std::string& dir, PackageConfig& c,
                      std::vector<std::string>* warnings) {
  auto text = ReadFile(JoinPath(dir, "requirements.txt"));
  if (!text.ok()) return;
  for (std::string_view raw : SplitString(*text, '\n')) {
    std::string_view line = Trim(raw.substr(0, raw.find('#')));
    if (line.empty() || line[0] == '-') continue;
    size_t eq = line.find("==");
    if (eq == std::string_view::npos || line.find_first_of(";,<>~!") != std::string_view::npos) {
      if (warnings) warnings->push_back("requirements.txt: not an exact pin: " + std::string(line));
      continue;
    }
    std::string name(Trim(line.substr(0, eq)));
    std::string version(Trim(line.substr(eq + 2)));
    bool known = false;
    for (const Dependency& d : c.ferry.dependencies) known = known || d.name == name;
    if (!known) c.ferry.dependencies.push_back({name, version});
  }
}

}  // namespace

absl::Status ReadModelMetadata(const std::string& model_dir, PackageConfig& c,
                               std::vector<std::string>* warnings) {
  RETURN_IF_ERROR(ReadPackageFile(model_dir, c));
  ReadMlModel(model_dir, c);
  ReadRequirements(model_dir, c, warnings);
  return absl::OkStatus();
}

}  // namespace ferry::package
