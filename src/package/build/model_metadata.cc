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
  ReadRequirements(model_dir, c, warnings);
  return absl::OkStatus();
}

}  // namespace ferry::package
