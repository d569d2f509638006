#include "training/tracking_run_recorder.h"

#include "common/strings.h"
#include "tracking/artifact_file.h"

namespace ferry::training {
namespace {

constexpr std::string_view kProxyScheme = "mlflow-artifacts:/";

class TrackingRunRecorder : public RunRecorder {
 public:
  TrackingRunRecorder(tracking::TrackingService& tracking, tracking::ArtifactService& artifacts,
                      Clock& clock)
      : tracking_(tracking), artifacts_(artifacts), clock_(clock) {}

  absl::StatusOr<std::string> StartRun(const std::string& experiment, const std::string& run_name,
                                       const std::vector<RunTag>& tags) override {
    tracking::CreateRunRequest r;
    auto found = tracking_.GetExperimentByName(experiment);
    if (found.ok()) {
      r.experiment_id = found->experiment_id;
    } else if (absl::IsNotFound(found.status())) {
      ASSIGN_OR_RETURN(r.experiment_id, tracking_.CreateExperiment(experiment, "", {}));
    } else {
      return found.status();
    }
    r.run_name = run_name;
    r.start_time = clock_.NowMillis();
    r.tags = tags;
    ASSIGN_OR_RETURN(Run run, tracking_.CreateRun(r));
    run_id_ = run.info.run_id;
    artifact_uri_ = run.info.artifact_uri;
    return run_id_;
  }

  absl::Status LogBatch(const std::vector<Metric>& metrics, const std::vector<Param>& params,
                        const std::vector<RunTag>& tags) override {
    return tracking_.LogBatch(run_id_, metrics, params, tags);
  }

  absl::Status LogInputs(const std::vector<DatasetInput>& inputs) override {
    return tracking_.LogInputs(run_id_, inputs);
  }

  // Runs whose artifacts live behind the proxy (the default root) are written through it.
  absl::Status UploadArtifact(const std::string& rel_path, const std::string& local_file) override {
    if (!StartsWith(artifact_uri_, kProxyScheme)) {
      return absl::FailedPreconditionError("run " + run_id_ + " stores its artifacts at " +
                                           artifact_uri_ + ", not behind the artifact proxy");
    }
    const std::string root = artifact_uri_.substr(kProxyScheme.size());
    return tracking::StoreLocalFile(artifacts_, root + "/" + rel_path, local_file);
  }

  absl::Status EndRun(bool ok) override {
    tracking::UpdateRunRequest r;
    r.run_id = run_id_;
    r.status = ok ? RunStatus::kFinished : RunStatus::kFailed;
    r.end_time = clock_.NowMillis();
    return tracking_.UpdateRun(r).status();
  }

 private:
  tracking::TrackingService& tracking_;
  tracking::ArtifactService& artifacts_;
  Clock& clock_;
  std::string run_id_;
  std::string artifact_uri_;
};

}  // namespace

std::unique_ptr<RunRecorder> NewTrackingRunRecorder(tracking::TrackingService& tracking,
                                                    tracking::ArtifactService& artifacts,
                                                    Clock& clock) {
  return std::make_unique<TrackingRunRecorder>(tracking, artifacts, clock);
}

}  // namespace ferry::training
