#pragma once
// The facts both halves of the assessment (the ML Test Score and the MLOps levels) read,
// derived once from the observations, each with the evidence that shows it.

#include <string>

#include "pipeline/maturity/maturity.h"

namespace ferry::pipeline::maturity {

struct Signal {
  bool on = false;
  std::string evidence;  // file, run id or tag that shows it
};

struct Signals {
  Signal pipeline;       // a pipeline file that parses, with a train step
  Signal validate;       // a validate step with a schema
  Signal evaluate;       // an evaluate step
  Signal gate;           // a gate step, or versions tagged ferry.gate
  Signal promote;        // a promote step, or versions tagged ferry.promotion
  Signal ci;             // a CI file runs the pipeline
  Signal trigger;        // a pipeline run started by something other than a person
  Signal drift_trigger;  // ... by drift or degradation (monitoring triggers the pipeline)
  Signal automated;      // ci or trigger: the pipeline runs without a person
  Signal metadata;       // pipeline runs recorded (beside the file or as MLflow runs)
  Signal mlflow_runs;    // pipeline runs recorded as MLflow runs
  Signal registry;       // a registered model with an alias
  Signal rollback;       // a registered model with an alias and several versions
  Signal register_step;  // a register or promote step: model delivery is automated
  Signal monitoring;     // a live-monitored deployment
  Signal skew;           // ... with a training reference profile
  Signal alerts;         // ... with alerting configured
  Signal labels;         // ... with performance from labels
  Signal git;
  Signal seed;
  Signal bias;
};

Signals DeriveSignals(const Observations& o);

}  // namespace ferry::pipeline::maturity
