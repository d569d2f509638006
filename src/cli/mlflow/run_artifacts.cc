#include "cli/mlflow/run_artifacts.h"

#include <vector>

#include "common/fs.h"
#include "common/strings.h"
#include "package/layout/paths.h"

namespace ferry::cli {

namespace {

// Lists files (recursively) under `path`, relative to the run's artifact root.
absl::Status ListFiles(TrackingClient& client, const std::string& run_id, const std::string& path,
                       int depth, std::vector<ArtifactEntry>& out) {
  if (depth > 64) return absl::FailedPreconditionError("artifact tree is too deep");
  ASSIGN_OR_RETURN(std::vector<ArtifactEntry> entries, client.ListArtifacts(run_id, path));
  for (const ArtifactEntry& e : entries) {
    RETURN_IF_ERROR(package::ValidateRelativePath(e.path, "artifact path from the server"));
    if (e.is_dir) {
      RETURN_IF_ERROR(ListFiles(client, run_id, e.path, depth + 1, out));
    } else {
      out.push_back(e);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RunsUri> ParseRunsUri(const std::string& uri) {
  constexpr std::string_view kScheme = "runs:/";
  if (!StartsWith(uri, kScheme)) {
    return absl::InvalidArgumentError("expected runs:/RUN_ID/PATH, got '" + uri + "'");
  }
  std::string rest = uri.substr(kScheme.size());
  while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
  RunsUri out;
  size_t slash = rest.find('/');
  out.run_id = rest.substr(0, slash);
  if (slash != std::string::npos) out.path = rest.substr(slash + 1);
  while (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
  if (out.run_id.empty()) return absl::InvalidArgumentError("'" + uri + "' names no run id");
  if (!out.path.empty()) RETURN_IF_ERROR(package::ValidateRelativePath(out.path, "runs:/ path"));
  return out;
}

absl::Status DownloadRunArtifacts(TrackingClient& client, const RunDetails& run, const RunsUri& uri,
                                  const std::string& dest_dir) {
  std::vector<ArtifactEntry> files;
  RETURN_IF_ERROR(ListFiles(client, run.run_id, uri.path, 0, files));
  if (files.empty()) {
    return absl::NotFoundError("run " + run.run_id + " has no artifacts under '" + uri.path + "'");
  }
  const std::string prefix = uri.path.empty() ? "" : uri.path + "/";
  for (const ArtifactEntry& f : files) {
    if (!StartsWith(f.path, prefix)) {
      return absl::DataLossError("artifacts/list returned '" + f.path + "' outside '" + uri.path +
                                 "'");
    }
    const std::string local = JoinPath(dest_dir, f.path.substr(prefix.size()));
    RETURN_IF_ERROR(MakeDirs(local.substr(0, local.rfind('/'))));
    RETURN_IF_ERROR(client.DownloadArtifact(run.artifact_uri, f.path, local));
  }
  return absl::OkStatus();
}

}  // namespace ferry::cli
