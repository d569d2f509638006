#include "cli/register_links.h"

#include <cstdlib>

#include "package/build/contents.h"
#include "package/layout/layout_source.h"

namespace ferry::cli {

absl::StatusOr<std::string> PackageSourceRunId(const std::string& path) {
  package::LayoutSource source;
  RETURN_IF_ERROR(source.Open(path));
  ASSIGN_OR_RETURN(package::PackageContents contents, package::ReadPackage(source.layout(), ""));
  return contents.config.ferry.source_run_id;
}

std::vector<KeyValue> RegistrationTags(const std::string& package_digest) {
  std::vector<KeyValue> tags;
  if (!package_digest.empty()) tags.push_back({"ferry.package.digest", package_digest});
  for (const auto& [env, key] : {std::pair{"FERRY_PIPELINE_RUN", "ferry.pipeline.run"},
                                 std::pair{"FERRY_PIPELINE_STEP", "ferry.step"}}) {
    const char* value = std::getenv(env);
    if (value != nullptr && *value != '\0') tags.push_back({key, value});
  }
  return tags;
}

}  // namespace ferry::cli
