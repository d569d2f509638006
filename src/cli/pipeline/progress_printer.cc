// Progress lines of `ferry pipeline run`, one per change of a step.

#include <cstdio>

#include "cli/pipeline/pipeline_flags.h"
#include "cli/pipeline/run_observers.h"

namespace ferry::cli {

using pipeline::PipelineRun;
using pipeline::StepRun;
using pipeline::StepState;

void ProgressPrinter::OnRunStarted(PipelineRun& run) {
  std::printf("pipeline %s: run %s, %zu steps\n", run.pipeline.c_str(), run.id.c_str(),
              run.steps.size());
  std::fflush(stdout);
}

void ProgressPrinter::OnStepChanged(PipelineRun& run, StepRun& step) {
  std::string detail;
  if (step.state == StepState::kRunning) {
    detail = "attempt " + std::to_string(step.attempts) + " (" + step.executor + " " +
             step.job_handle + ")";
  } else if (step.ended_ms != 0 && step.started_ms != 0) {
    detail = FormatDuration(step.ended_ms - step.started_ms);
  }
  if (!step.reason.empty()) detail += (detail.empty() ? "" : "  ") + step.reason;
  std::printf("[%7s] %-20s %-10s %s\n", FormatDuration(pipeline::NowMs() - run.started_ms).c_str(),
              step.name.c_str(), pipeline::StepStateName(step.state), detail.c_str());
  std::fflush(stdout);
}

void ProgressPrinter::OnProgress(PipelineRun& run) {
  for (const StepRun& step : run.steps) {
    if (step.state != StepState::kRunning) continue;
    std::printf("[%7s] %-20s %-10s for %s, attempt %d\n",
                FormatDuration(pipeline::NowMs() - run.started_ms).c_str(), step.name.c_str(),
                "running", FormatDuration(pipeline::NowMs() - step.started_ms).c_str(),
                step.attempts);
  }
  std::fflush(stdout);
}

void ObserverList::OnProgress(PipelineRun& run) {
  for (auto& o : list_) o->OnProgress(run);
}

void ObserverList::OnRunStarted(PipelineRun& run) {
  for (auto& o : list_) o->OnRunStarted(run);
}

void ObserverList::OnStepChanged(PipelineRun& run, StepRun& step) {
  for (auto& o : list_) o->OnStepChanged(run, step);
}

void ObserverList::OnRunFinished(PipelineRun& run) {
  for (auto& o : list_) o->OnRunFinished(run);
}

}  // namespace ferry::cli
