#pragma once
// What `ferry pipeline run` tells about a run as it goes: progress lines on stdout
// (ProgressPrinter) and MLflow runs in tracking (MlflowRecorder: a parent run for the pipeline
// run, a child run per step with the mlflow.parentRunId tag, so MLflow clients nest them).

#include <memory>
#include <string>
#include <vector>

#include "pipeline/scheduler.h"

namespace ferry::cli {

// "[  elapsed] step  state  detail" for each change of a step.
class ProgressPrinter : public pipeline::RunObserver {
 public:
  void OnRunStarted(pipeline::PipelineRun& run) override;
  void OnStepChanged(pipeline::PipelineRun& run, pipeline::StepRun& step) override;
  void OnRunFinished(pipeline::PipelineRun& run) override {}
  // A line for each step still running, with how long it has run.
  void OnProgress(pipeline::PipelineRun& run) override;
};

// Calls each observer in turn.
class ObserverList : public pipeline::RunObserver {
 public:
  void Add(std::unique_ptr<pipeline::RunObserver> o) {
    list_.push_back(o.get());
    owned_.push_back(std::move(o));
  }
  void AddUnowned(pipeline::RunObserver* o) { list_.push_back(o); }
  void OnRunStarted(pipeline::PipelineRun& run) override;
  void OnStepChanged(pipeline::PipelineRun& run, pipeline::StepRun& step) override;
  void OnRunFinished(pipeline::PipelineRun& run) override;
  void OnProgress(pipeline::PipelineRun& run) override;

 private:
  std::vector<std::unique_ptr<pipeline::RunObserver>> owned_;
  std::vector<pipeline::RunObserver*> list_;
};

// Records to the MLflow tracking server at `tracking_uri`, in the experiment named after the
// pipeline. A failing server is reported once on stderr; the run goes on without it.
absl::StatusOr<std::unique_ptr<pipeline::RunObserver>> NewMlflowRecorder(
    const std::string& tracking_uri);

}  // namespace ferry::cli
