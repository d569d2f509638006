#include "pipeline/maturity/signals.h"

#include <algorithm>

namespace ferry::pipeline::maturity {
namespace {

Signal On(std::string evidence) { return Signal{true, std::move(evidence)}; }

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

Signal StepSignal(const Observations& o, const std::string& kind) {
  if (!o.project.HasKind(kind)) return {};
  return On(o.project.pipeline_file + ": " + kind + " step");
}

// The first model whose `list` is not empty, as "MODEL versions X, Y tagged TAG".
Signal TaggedVersions(const ServerFacts* s, std::vector<std::string> ModelFacts::*list,
                      const std::string& tag) {
  if (s == nullptr) return {};
  for (const auto& m : s->models) {
    if (!(m.*list).empty())
      return On("model " + m.name + ": versions " + Join(m.*list) + " tagged " + tag);
  }
  return {};
}

Signal Or(Signal a, const Signal& b) {
  if (!a.on) return b;
  if (b.on) a.evidence += "; " + b.evidence;
  return a;
}

void DeriveServer(const ServerFacts& s, Signals& g) {
  for (const auto& r : s.pipeline_runs) {
    if (!g.mlflow_runs.on)
      g.mlflow_runs = On("MLflow run " + r.run_id + " (pipeline " + r.pipeline + ")");
    if (r.trigger.empty() || r.trigger == "manual") continue;
    const std::string e = "MLflow run " + r.run_id + " ferry.pipeline.trigger=" + r.trigger;
    if (!g.trigger.on) g.trigger = On(e);
    const bool monitor = r.trigger.find("drift") != std::string::npos ||
                         r.trigger.find("degrad") != std::string::npos ||
                         r.trigger.find("monitor") != std::string::npos;
    if (monitor && !g.drift_trigger.on) g.drift_trigger = On(e);
  }
  for (const auto& m : s.models) {
    if (m.aliases.empty()) continue;
    const std::string e = "model " + m.name + " (" + std::to_string(m.versions) +
                          " versions, aliases " + Join(m.aliases) + ")";
    if (!g.registry.on) g.registry = On(e);
    if (m.versions >= 2 && !g.rollback.on) g.rollback = On(e);
  }
  for (const auto& d : s.deployments) {
    if (!d.monitored) continue;
    const std::string e = "deployment " + d.name;
    if (!g.monitoring.on) g.monitoring = On(e + " monitored live");
    if (d.reference && !g.skew.on) g.skew = On(e + " compared with its training reference");
    if (d.alerts && !g.alerts.on) g.alerts = On(e + " alerts configured");
    if (d.labels && !g.labels.on) g.labels = On(e + " performance from labels");
  }
}

}  // namespace

bool ProjectFacts::HasKind(const std::string& kind) const {
  return std::find(step_kinds.begin(), step_kinds.end(), kind) != step_kinds.end();
}

Signals DeriveSignals(const Observations& o) {
  const ProjectFacts& p = o.project;
  const ServerFacts* s = o.server && o.server->reached ? &*o.server : nullptr;
  Signals g;
  if (!p.pipeline_file.empty() && p.pipeline_error.empty() && p.HasKind("train")) {
    g.pipeline = On(p.pipeline_file + " (" + std::to_string(p.step_kinds.size()) +
                    " step kinds: " + Join(p.step_kinds) + ")");
    if (p.retries) g.pipeline.evidence += ", with retries or timeouts";
  }
  if (p.HasKind("validate")) {
    g.validate = On(p.pipeline_file + ": validate step" +
                    (p.schema_file.empty() ? std::string() : " against " + p.schema_file));
  }
  g.evaluate = StepSignal(o, "evaluate");
  g.gate = Or(StepSignal(o, "gate"), TaggedVersions(s, &ModelFacts::gated_versions, "ferry.gate"));
  g.promote = Or(StepSignal(o, "promote"),
                 TaggedVersions(s, &ModelFacts::promotion_versions, "ferry.promotion"));
  g.register_step = Or(StepSignal(o, "register"), StepSignal(o, "promote"));
  g.bias = StepSignal(o, "bias");
  if (!p.ci_files.empty()) g.ci = On(Join(p.ci_files) + " runs `ferry pipeline run`");
  if (!p.local_triggers.empty()) {
    g.trigger = On("runs beside " + p.pipeline_file + " triggered by " + Join(p.local_triggers));
    for (const auto& t : p.local_triggers) {
      if (t.find("drift") != std::string::npos || t.find("monitor") != std::string::npos) {
        g.drift_trigger = g.trigger;
      }
    }
  }
  if (!p.ci_schedules.empty()) {
    g.trigger = Or(g.trigger, On(Join(p.ci_schedules) + " runs the pipeline on a cron schedule"));
  }
  if (p.local_runs > 0) {
    g.metadata = On(std::to_string(p.local_runs) + " run records beside " + p.pipeline_file);
  }
  if (p.git) g.git = On("git work tree");
  if (p.train_seed) g.seed = On(p.pipeline_file + ": train step with a fixed seed");
  if (s != nullptr) DeriveServer(*s, g);
  g.metadata = Or(g.metadata, g.mlflow_runs);
  g.automated = Or(g.ci, g.trigger);
  return g;
}

}  // namespace ferry::pipeline::maturity
