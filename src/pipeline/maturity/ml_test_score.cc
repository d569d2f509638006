// The 28 tests of the ML Test Score, each scored from the signals Ferry can observe: 1.0 when
// the evidence runs without a person (CI runs the pipeline, or a trigger started it), 0.5
// when it exists but is run by hand, 0 otherwise with what to add. Tests Ferry cannot observe
// score 0 and say so: the score is a floor of what is shown, not a judgement of the rest.

#include "pipeline/maturity/ml_test_score.h"

namespace ferry::pipeline::maturity {
namespace {

constexpr char kAutomate[] =
    "; automate it: run `ferry pipeline run` from CI (ferry init writes "
    ".github/workflows/ferry.yml)";
constexpr char kNotObservable[] = "Ferry cannot observe this yet; ";

TestResult Result(const char* id, const char* name) {
  TestResult t;
  t.id = id;
  t.name = name;
  t.section = std::string(id).substr(0, std::string(id).find(' '));
  return t;
}

// 1.0 when `s` is on and the pipeline runs unattended, 0.5 when on, else 0 with `add`.
TestResult Scored(TestResult t, const Signal& s, const Signals& g, const std::string& add) {
  if (!s.on) {
    t.missing = add;
    return t;
  }
  t.evidence = s.evidence;
  if (g.automated.on) {
    t.score = 1.0;
    t.evidence += "; automated: " + g.automated.evidence;
  } else {
    t.score = 0.5;
    t.missing = std::string("runs only by hand") + kAutomate;
  }
  return t;
}

// Scored only from a live signal (a server fact is automated by nature): 1.0 with `full`,
// 0.5 with `half` alone.
TestResult Live(TestResult t, const Signal& full, const Signal& half, const std::string& add) {
  if (full.on) {
    t.score = 1.0;
    t.evidence = full.evidence;
  } else if (half.on) {
    t.score = 0.5;
    t.evidence = half.evidence;
    t.missing = add;
  } else {
    t.missing = add;
  }
  return t;
}

TestResult Unobserved(TestResult t, const std::string& how) {
  t.missing = kNotObservable + how;
  return t;
}

void DataTests(const Signals& g, std::vector<TestResult>& out) {
  out.push_back(Scored(Result("Data 1", "Feature expectations are captured in a schema"),
                       g.validate, g,
                       "write a schema (`ferry monitor schema DATA -o schema.json`) and add a "
                       "`kind: validate` step with inputs data and schema"));
  out.push_back(Unobserved(Result("Data 2", "All features are beneficial"),
                           "log a feature-importance or ablation report from the train step"));
  out.push_back(Unobserved(Result("Data 3", "No feature's cost is too much"),
                           "record per-feature cost beside its importance"));
  out.push_back(Unobserved(Result("Data 4", "Features adhere to meta-level requirements"),
                           "enforce a feature allow/deny list in a command step"));
  out.push_back(Unobserved(Result("Data 5", "The data pipeline has appropriate privacy controls"),
                           "tag datasets with PII and restrict access"));
  out.push_back(Unobserved(Result("Data 6", "New features can be added quickly"),
                           "measure feature PR to trained model from pipeline run records"));
  out.push_back(Unobserved(Result("Data 7", "All input feature code is tested"),
                           "run the feature code's unit tests in CI"));
}

void ModelTests(const Signals& g, std::vector<TestResult>& out) {
  Signal spec = g.pipeline;
  if (spec.on && !g.git.on) spec = {};
  if (spec.on) spec.evidence += " under version control (" + g.git.evidence + ")";
  out.push_back(Scored(Result("Model 1", "Model specs are reviewed and submitted"), spec, g,
                       "keep pipeline.yaml (the trainer configuration) in git, reviewed by "
                       "pull request"));
  out.push_back(Live(Result("Model 2", "Offline and online metrics correlate"), g.labels, {},
                     "send labels (POST /api/ferry/v1/monitoring/labels) so live performance "
                     "sits beside the evaluate step's offline metrics"));
  out.push_back(Unobserved(Result("Model 3", "All hyperparameters have been tuned"),
                           "record a tuning sweep as runs (pipeline parameters, `-p K=V`)"));
  out.push_back(Unobserved(Result("Model 4", "The impact of model staleness is known"),
                           "evaluate models of several ages on recent data"));
  out.push_back(Scored(Result("Model 5", "A simpler model is not better"), g.gate, g,
                       "gate the candidate against the champion (`ferry gate` with change "
                       "thresholds) before promotion"));
  out.push_back(
      Unobserved(Result("Model 6", "Model quality is sufficient on important data slices"),
                 "add per-slice thresholds to the gate"));
  out.push_back(Scored(Result("Model 7", "The model is tested for considerations of inclusion"),
                       g.bias, g, "add a command step running `ferry monitor bias`"));
}

void InfraTests(const Signals& g, std::vector<TestResult>& out) {
  out.push_back(Scored(Result("Infra 1", "Training is reproducible"), g.seed, g,
                       "fix the train step's seed (params: {seed: \"1\"}); the step cache keys "
                       "every run by its inputs"));
  out.push_back(Unobserved(Result("Infra 2", "Model specs are unit tested"),
                           "run the model code's unit tests in CI (training converges, no NaN)"));
  TestResult infra3 = Result("Infra 3", "The ML pipeline is integration tested");
  if (g.ci.on) {
    infra3.score = 1.0;
    infra3.evidence = g.ci.evidence;
  } else if (g.pipeline.on && g.metadata.on) {
    infra3.score = 0.5;
    infra3.evidence = g.metadata.evidence;
    infra3.missing = std::string("the pipeline runs by hand") + kAutomate;
  } else {
    infra3.missing = std::string("write a pipeline.yaml (`ferry init`) and run it") + kAutomate;
  }
  out.push_back(infra3);
  Signal quality = g.gate.on ? g.gate : g.evaluate;
  TestResult infra4 = Scored(Result("Infra 4", "Model quality is validated before serving"),
                             quality, g, "add an evaluate step and a gate (`ferry gate`)");
  if (!g.gate.on && infra4.score > 0) {
    infra4.score = 0.5;
    infra4.missing = "metrics are computed but not gated: add `ferry gate` with thresholds";
  }
  out.push_back(infra4);
  Signal debug = g.pipeline.on ? g.pipeline : g.registry;
  if (debug.on)
    debug.evidence =
        "`ferry predict` answers single examples from the package of " + debug.evidence;
  TestResult infra5 = Result("Infra 5", "The model is debuggable");
  if (debug.on) {
    infra5.score = 0.5;
    infra5.evidence = debug.evidence;
    infra5.missing = "run by hand; keep single-example traces of failures in CI";
  } else {
    infra5.missing = "train a package, then `ferry predict --package PKG < request.json`";
  }
  out.push_back(infra5);
  out.push_back(Scored(Result("Infra 6", "Models are canaried before serving"), g.promote, g,
                       "canary the challenger (`ferry serve --canary`, `ferry promote`) before it "
                       "takes all traffic"));
  TestResult infra7 = Live(Result("Infra 7", "Serving models can be rolled back"), {}, g.rollback,
                           "register versions with aliases (`ferry models alias NAME champion V`) "
                           "so the alias can move back");
  if (g.rollback.on && g.promote.on) {
    infra7.score = 1.0;
    infra7.evidence += "; automated rollback: " + g.promote.evidence;
    infra7.missing.clear();
  } else if (g.rollback.on) {
    infra7.missing = "rollback is a manual alias move; `ferry promote` rolls back automatically";
  }
  out.push_back(infra7);
}

void MonitorTests(const Signals& g, std::vector<TestResult>& out) {
  out.push_back(Unobserved(Result("Monitor 1", "Dependency changes result in notification"),
                           "register a webhook on registry events (/api/ferry/v1/webhooks)"));
  Signal invariants_half = g.monitoring.on ? g.monitoring : g.validate;
  Signal invariants_full = g.alerts;
  out.push_back(Live(Result("Monitor 2", "Data invariants hold for inputs"), invariants_full,
                     invariants_half,
                     "serve with live monitoring and alerts (`ferry server --deploy "
                     "models:/NAME@champion` with a schema)"));
  Signal skew_full = g.skew.on && g.alerts.on ? g.skew : Signal{};
  out.push_back(Live(Result("Monitor 3", "Training and serving are not skewed"), skew_full, g.skew,
                     "give live monitoring the training reference profile and alerts"));
  out.push_back(Unobserved(Result("Monitor 4", "Models are not too stale"),
                           "alert on the age of the serving version"));
  out.push_back(Unobserved(Result("Monitor 5", "Models are numerically stable"),
                           "alert on NaN/inf predictions and training metrics"));
  TestResult m6 =
      Live(Result("Monitor 6", "Computing performance has not regressed"), {}, g.monitoring,
           "serve the model with Ferry: latency and throughput on /metrics");
  if (m6.score > 0) m6.missing = "latency is on /metrics; add an alert against a baseline";
  out.push_back(m6);
  Signal quality_full = g.labels.on && g.alerts.on ? g.labels : Signal{};
  out.push_back(Live(Result("Monitor 7", "Prediction quality has not regressed"), quality_full,
                     g.labels,
                     "send labels (POST /api/ferry/v1/monitoring/labels) and alert on "
                     "performance"));
}

}  // namespace

std::vector<TestResult> ScoreTests(const Signals& g) {
  std::vector<TestResult> out;
  DataTests(g, out);
  ModelTests(g, out);
  InfraTests(g, out);
  MonitorTests(g, out);
  return out;
}

}  // namespace ferry::pipeline::maturity
