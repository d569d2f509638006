#pragma once
// The few MLflow REST calls the CLI makes, over HttpClient. Errors from the server come back
// as Status with the server's error_code and message.

#include <map>
#include <string>
#include <vector>

#include "core/tracking_types.h"
#include "net/http_client.h"

namespace ferry::cli {

using net::ClientResponse;
using net::HttpClient;

// The Status for a non-200 answer of an MLflow-style server: "<error_code>: <message>", with
// kNotFound for 404, kAlreadyExists for RESOURCE_ALREADY_EXISTS, kUnavailable for 5xx and
// kInvalidArgument otherwise.
absl::Status ServerError(const ClientResponse& resp);

struct CreatedRun {
  std::string run_id;
  std::string experiment_id;
  std::string artifact_uri;
};

// What `ferry package build runs:/...` needs from runs/get.
struct RunDetails {
  std::string run_id;
  std::string artifact_uri;
  std::map<std::string, std::string> params;
  std::map<std::string, double> metrics;  // latest values
  std::map<std::string, std::string> tags;
};

struct ArtifactEntry {
  std::string path;  // relative to the run's artifact root
  bool is_dir = false;
  int64_t size = 0;
};

class TrackingClient {
 public:
  explicit TrackingClient(HttpClient http) : http_(std::move(http)) {}

  // Returns the id of the experiment called `name`, creating it if needed.
  absl::StatusOr<std::string> GetOrCreateExperiment(const std::string& name);
  absl::StatusOr<CreatedRun> CreateRun(const std::string& experiment_id,
                                       const std::string& run_name, int64_t start_time,
                                       const std::vector<RunTag>& tags);
  absl::Status LogBatch(const std::string& run_id, const std::vector<Metric>& metrics,
                        const std::vector<Param>& params, const std::vector<RunTag>& tags);
  absl::Status EndRun(const std::string& run_id, RunStatus status, int64_t end_time);
  // runs/log-inputs: the datasets a run consumed (name, digest, source), with input tags.
  absl::Status LogInputs(const std::string& run_id, const std::vector<DatasetInput>& inputs);
  // Uploads a local file to `<artifact_uri>/<rel_path>` through the artifact proxy.
  absl::Status UploadArtifact(const std::string& artifact_uri, const std::string& rel_path,
                              const std::string& local_file);
  absl::StatusOr<RunDetails> GetRun(const std::string& run_id);
  // One level of a run's artifacts under `path` (artifacts/list).
  absl::StatusOr<std::vector<ArtifactEntry>> ListArtifacts(const std::string& run_id,
                                                           const std::string& path);
  // Streams `<artifact_uri>/<rel_path>` from the artifact proxy into `local_file`.
  absl::Status DownloadArtifact(const std::string& artifact_uri, const std::string& rel_path,
                                const std::string& local_file);

 private:
  absl::StatusOr<std::string> Call(const std::string& method, const std::string& path,
                                   const std::string& body);
  HttpClient http_;
};

}  // namespace ferry::cli
