#pragma once
// The training job behind `ferry train`, usable from the CLI and from the server alike: one
// TrainJob from a data file to a package (and, through hooks, a tracked run and a registered
// version). It depends on runtime and package only: how the run is recorded (REST client,
// in-process tracking service) and how the package is registered are given by the caller.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/tracking_types.h"
#include "runtime/family.h"

namespace ferry::training {

struct TrainJob {
  std::string family;
  std::string data_path;
  std::string target;
  std::map<std::string, std::string> params;
  double test_fraction = 0.2;
  uint64_t seed = 42;
  std::string model_name;
  std::string run_name;
  std::string experiment;
  std::string version;  // empty: the run id (or "latest" without a run)
  std::string output;   // package layout directory; must not exist
  // Added to the run's tags (a pipeline step's links: ferry.pipeline.run, ferry.step,
  // mlflow.parentRunId).
  std::vector<RunTag> tags;
};

// Records one training as a tracking run.
class RunRecorder {
 public:
  virtual ~RunRecorder() = default;
  // Creates the run in `experiment` (created if missing); returns the run id.
  virtual absl::StatusOr<std::string> StartRun(const std::string& experiment,
                                               const std::string& run_name,
                                               const std::vector<RunTag>& tags) = 0;
  virtual absl::Status LogBatch(const std::vector<Metric>& metrics,
                                const std::vector<Param>& params,
                                const std::vector<RunTag>& tags) = 0;
  // Stores `local_file` as the run's artifact `rel_path`.
  virtual absl::Status UploadArtifact(const std::string& rel_path,
                                      const std::string& local_file) = 0;
  // The datasets the run consumed (MLflow's runs/log-inputs).
  virtual absl::Status LogInputs(const std::vector<DatasetInput>& inputs) = 0;
  virtual absl::Status EndRun(bool ok) = 0;
};

struct TrainHooks {
  RunRecorder* recorder = nullptr;  // null: no run is recorded
  // Registers the built package (after a FINISHED run); empty: not registered.
  std::function<absl::Status(const std::string& package_dir, const std::string& run_id)>
      register_package;
  ProgressFn progress;                               // training steps; may be empty
  std::function<void(const std::string& line)> say;  // what happens, a line at a time
};

// Checks the family, the data and the target column (usage errors come back before any run
// is created), then splits, trains, records the run (FINISHED, or FAILED with the error),
// builds the package at job.output and registers it. `families` must outlive the call. The
// error of the first step that failed, naming it.
absl::Status RunTrainJob(const TrainJob& job, const runtime::FamilyRegistry& families,
                         const TrainHooks& hooks);

// The default package directory of a training run: NAME.oci, or NAME-2.oci, NAME-3.oci, ...
// when earlier runs left those, so that training again needs no -o.
std::string FreshOutputDir(const std::string& model_name);

// "data/breast_cancer.csv" -> "breast_cancer".
std::string FileStem(const std::string& path);

}  // namespace ferry::training
