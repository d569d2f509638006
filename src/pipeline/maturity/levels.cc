// Google's MLOps levels from the signals, with the rule of the monitoring reference (§5.2):
// level 1 needs the six level-1 characteristics plus automated data validation, automated
// model validation, run metadata and an automatic trigger; level 2 needs level 1 plus CI
// that tests the pipeline, automated delivery, a model registry and monitoring that
// triggers the pipeline; anything less is level 0.

#include "pipeline/maturity/levels.h"

namespace ferry::pipeline::maturity {
namespace {

Characteristic Need(int level, const char* name, const Signal& s, const char* missing) {
  Characteristic c;
  c.level = level;
  c.name = name;
  c.met = s.on;
  if (s.on) {
    c.evidence = s.evidence;
  } else {
    c.missing = missing;
  }
  return c;
}

Signal Both(const Signal& a, const Signal& b) {
  if (!a.on || !b.on) return {};
  return Signal{true, a.evidence + "; " + b.evidence};
}

}  // namespace

std::vector<Characteristic> Characteristics(const Signals& g) {
  std::vector<Characteristic> c;
  c.push_back(Need(1, "Rapid experiment: orchestrated steps", g.pipeline,
                   "describe the steps in pipeline.yaml (`ferry init` writes one)"));
  c.push_back(Need(1, "Continuous training on fresh data by live triggers", g.trigger,
                   "start the pipeline from a trigger (schedule, new data, drift), not by hand"));
  c.push_back(Need(1, "Experimental-operational symmetry", Both(g.pipeline, g.ci),
                   "run the same pipeline.yaml in CI as on your machine"));
  c.push_back(Need(1, "Modularized components and pipelines", g.pipeline,
                   "split the work into pipeline steps with declared inputs and outputs"));
  c.push_back(Need(1, "Continuous delivery of models", g.register_step,
                   "add a register step (or `ferry promote`) so the pipeline delivers the model"));
  c.push_back(Need(1, "Pipeline deployment", Both(g.pipeline, g.automated),
                   "deploy the pipeline itself: CI or a trigger runs it"));
  c.push_back(Need(1, "Automated data validation", g.validate,
                   "add a `kind: validate` step with a schema before train"));
  c.push_back(Need(1, "Automated model validation", g.gate,
                   "gate the candidate (`ferry gate`) before promotion"));
  c.push_back(Need(1, "Metadata management per pipeline run", g.metadata,
                   "run the pipeline with a tracking URI so runs are recorded"));
  c.push_back(Need(1, "At least one automatic pipeline trigger", g.trigger,
                   "add a schedule, new-data or drift trigger"));
  c.push_back(Need(2, "CI runs the pipeline's tests", g.ci,
                   "run `ferry pipeline run` on sample data in CI"));
  c.push_back(Need(2, "Automated CD to a test environment", Both(g.register_step, g.ci),
                   "let CI register the model and move an alias in a test registry"));
  c.push_back(Need(2, "Model registry with aliases", g.registry,
                   "register versions and set aliases (`ferry models alias`)"));
  c.push_back(Need(2, "Online validation (canary) before full traffic", g.promote,
                   "canary challengers with `ferry promote`"));
  c.push_back(Need(2, "Monitoring triggers the pipeline", g.drift_trigger,
                   "trigger the pipeline on drift or degradation alerts"));
  return c;
}

int Level(const std::vector<Characteristic>& c) {
  int level = 2;
  for (const auto& x : c) {
    if (!x.met && x.level - 1 < level) level = x.level - 1;
  }
  return level;
}

}  // namespace ferry::pipeline::maturity
