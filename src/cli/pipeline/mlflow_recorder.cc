// Pipeline runs as MLflow runs: the parent when the run starts, a child per step once the step
// is final (its times, state, cache hit, digests as tags; its inputs also as MLflow dataset
// inputs, so MLflow clients and the lineage API see what it consumed), the parent ended with
// the run.

#include <cstdio>

#include "cli/mlflow/server_client.h"
#include "cli/mlflow/tracking_client.h"
#include "cli/pipeline/run_observers.h"
#include "core/dataset_digest.h"

namespace ferry::cli {
namespace {

using pipeline::PipelineRun;
using pipeline::StepRun;
using pipeline::StepState;

// The step's inputs as MLflow datasets: named by the file, the digest Ferry computed (MLflow's
// 36-character form, the full one as tag ferry.digest), the path (or the step output) as
// source; the input's name is the context tag.
std::vector<DatasetInput> StepDatasets(const StepRun& step) {
  std::vector<DatasetInput> out;
  for (const auto& [name, digest] : step.input_digests) {
    auto it = step.input_sources.find(name);
    const std::string source = it == step.input_sources.end() ? name : it->second;
    const bool from_step = source.rfind("steps.", 0) == 0;
    // A file by its name; a step's output by the output's name.
    const size_t cut = from_step ? source.rfind('.') : source.find_last_of('/');
    DatasetInput in;
    in.tags = {{"mlflow.data.context", name}, {kDatasetDigestTag, digest}};
    in.dataset.name = cut == std::string::npos ? source : source.substr(cut + 1);
    in.dataset.digest = MlflowDatasetDigest(digest);
    in.dataset.source_type = from_step ? "ferry_step_output" : "local";
    in.dataset.source = source;
    out.push_back(std::move(in));
  }
  return out;
}

RunStatus MlflowStatus(StepState state) {
  switch (state) {
    case StepState::kSucceeded:
    case StepState::kCached:
      return RunStatus::kFinished;
    case StepState::kFailed:
      return RunStatus::kFailed;
    default:
      return RunStatus::kKilled;
  }
}

class MlflowRecorder : public pipeline::RunObserver {
 public:
  explicit MlflowRecorder(TrackingClient client) : client_(std::move(client)) {}

  void OnRunStarted(PipelineRun& run) override {
    absl::StatusOr<std::string> exp = client_.GetOrCreateExperiment("pipeline-" + run.pipeline);
    if (!Check(exp.status())) return;
    experiment_ = *exp;
    absl::StatusOr<CreatedRun> parent =
        client_.CreateRun(experiment_, run.pipeline + "-" + run.id, run.started_ms,
                          {{"ferry.pipeline", run.pipeline},
                           {"ferry.pipeline.run", run.id},
                           {"ferry.pipeline.trigger", run.trigger}});
    if (!Check(parent.status())) return;
    run.mlflow_run_id = parent->run_id;
    std::vector<Param> params;
    for (const auto& [k, v] : run.parameters) params.push_back({k, v});
    Check(client_.LogBatch(run.mlflow_run_id, {}, params, {}));
  }

  void OnStepChanged(PipelineRun& run, StepRun& step) override {
    if (run.mlflow_run_id.empty() || !pipeline::IsFinalStep(step.state)) return;
    std::vector<RunTag> tags = {{"mlflow.parentRunId", run.mlflow_run_id},
                                {"ferry.pipeline.run", run.id},
                                {"ferry.step", step.name},
                                {"ferry.step.kind", step.kind},
                                {"ferry.step.state", pipeline::StepStateName(step.state)},
                                {"ferry.step.cache_hit", step.cache_hit ? "true" : "false"},
                                {"ferry.step.cache_key", step.cache_key}};
    for (const auto& [k, v] : step.input_digests) tags.push_back({"ferry.input." + k, v});
    for (const auto& [k, v] : step.output_digests) tags.push_back({"ferry.output." + k, v});
    const int64_t start = step.started_ms != 0 ? step.started_ms : pipeline::NowMs();
    absl::StatusOr<CreatedRun> child = client_.CreateRun(experiment_, step.name, start, tags);
    if (!Check(child.status())) return;
    step.mlflow_run_id = child->run_id;
    Check(client_.LogBatch(child->run_id, {{"attempts", double(step.attempts), start, 0}},
                           {{"kind", step.kind}, {"executor", step.executor}}, {}));
    if (!step.input_digests.empty()) Check(client_.LogInputs(child->run_id, StepDatasets(step)));
    Check(client_.EndRun(child->run_id, MlflowStatus(step.state),
                         step.ended_ms != 0 ? step.ended_ms : pipeline::NowMs()));
  }

  void OnRunFinished(PipelineRun& run) override {
    if (run.mlflow_run_id.empty()) return;
    RunStatus status = run.state == pipeline::RunState::kSucceeded ? RunStatus::kFinished
                       : run.state == pipeline::RunState::kFailed  ? RunStatus::kFailed
                                                                   : RunStatus::kKilled;
    Check(client_.EndRun(run.mlflow_run_id, status, pipeline::NowMs()));
  }

 private:
  // False (and a warning, once) when tracking failed.
  bool Check(const absl::Status& s) {
    if (s.ok()) return true;
    if (!warned_) {
      std::fprintf(stderr, "ferry pipeline run: tracking: %s (the run goes on)\n",
                   std::string(s.message()).c_str());
      warned_ = true;
    }
    return false;
  }

  TrackingClient client_;
  std::string experiment_;
  bool warned_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<pipeline::RunObserver>> NewMlflowRecorder(
    const std::string& tracking_uri) {
  ASSIGN_OR_RETURN(HttpClient http, ServerClient(tracking_uri));
  return std::make_unique<MlflowRecorder>(TrackingClient(std::move(http)));
}

}  // namespace ferry::cli
