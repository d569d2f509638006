#include "cli/train/train_run_recorder.h"

#include "cli/mlflow/server_client.h"
#include "cli/mlflow/tracking_client.h"
#include "common/clock.h"

namespace ferry::cli {
namespace {

class RestRunRecorder : public training::RunRecorder {
 public:
  explicit RestRunRecorder(TrackingClient client) : client_(std::move(client)) {}

  absl::StatusOr<std::string> StartRun(const std::string& experiment, const std::string& run_name,
                                       const std::vector<RunTag>& tags) override {
    ASSIGN_OR_RETURN(std::string experiment_id, client_.GetOrCreateExperiment(experiment));
    ASSIGN_OR_RETURN(run_,
                     client_.CreateRun(experiment_id, run_name, SystemClock().NowMillis(), tags));
    return run_.run_id;
  }

  absl::Status LogBatch(const std::vector<Metric>& metrics, const std::vector<Param>& params,
                        const std::vector<RunTag>& tags) override {
    return client_.LogBatch(run_.run_id, metrics, params, tags);
  }

  absl::Status LogInputs(const std::vector<DatasetInput>& inputs) override {
    return client_.LogInputs(run_.run_id, inputs);
  }

  absl::Status UploadArtifact(const std::string& rel_path, const std::string& local_file) override {
    return client_.UploadArtifact(run_.artifact_uri, rel_path, local_file);
  }

  absl::Status EndRun(bool ok) override {
    return client_.EndRun(run_.run_id, ok ? RunStatus::kFinished : RunStatus::kFailed,
                          SystemClock().NowMillis());
  }

 private:
  TrackingClient client_;
  CreatedRun run_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<training::RunRecorder>> NewRestRunRecorder(
    const std::string& tracking_uri) {
  ASSIGN_OR_RETURN(HttpClient http, ServerClient(tracking_uri));
  http.set_unreachable_hint(
      "Start a server with `ferry server`, point --tracking-uri at one, or pass --no-tracking.");
  return std::make_unique<RestRunRecorder>(TrackingClient(std::move(http)));
}

}  // namespace ferry::cli
