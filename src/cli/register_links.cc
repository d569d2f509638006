#include "cli/register_links.h"

#include <cstdlib>

#include "cli/mlflow/server_client.h"
#include "cli/mlflow/tracking_client.h"
#include "package/build/contents.h"
#include "package/layout/layout_source.h"

namespace ferry::cli {

absl::StatusOr<std::string> PackageRunOnServer(const std::string& path,
                                               const std::string& tracking_uri) {
  package::LayoutSource source;
  RETURN_IF_ERROR(source.Open(path));
  ASSIGN_OR_RETURN(package::PackageContents contents, package::ReadPackage(source.layout(), ""));
  const std::string run_id = contents.config.ferry.source_run_id;
  if (run_id.empty()) return run_id;
  ASSIGN_OR_RETURN(HttpClient http, ServerClient(tracking_uri));
  absl::StatusOr<RunDetails> run = TrackingClient(std::move(http)).GetRun(run_id);
  if (absl::IsNotFound(run.status())) return std::string();
  RETURN_IF_ERROR(run.status());
  return run_id;
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
