#pragma once
// Fetching a model from a tracking run (`ferry package build runs:/RUN_ID/PATH`, `ferry serve
// runs:/RUN_ID/PATH`, registration checks): the run's details (params, metrics, git commit)
// and its artifacts under PATH, downloaded through the artifact proxy.

#include <string>

#include "cli/mlflow/tracking_client.h"
#include "common/status.h"

namespace ferry::cli {

struct RunsUri {
  std::string run_id;
  std::string path;  // may be empty: the whole artifact root
};

// Parses "runs:/RUN_ID[/PATH]". kInvalidArgument otherwise.
absl::StatusOr<RunsUri> ParseRunsUri(const std::string& uri);

// Downloads every artifact of the run under `uri.path` into `dest_dir`, keeping paths
// relative to `uri.path`. Paths from the server are checked (no "..", no absolute paths).
// kNotFound when there is nothing under the path.
absl::Status DownloadRunArtifacts(TrackingClient& client, const RunDetails& run, const RunsUri& uri,
                                  const std::string& dest_dir);

}  // namespace ferry::cli
