#include "pipeline/gate/evaluation_gate.h"

#include <cmath>

#include "common/strings.h"

namespace ferry::pipeline {
namespace {

const char* Better(Direction direction) {
  return direction == Direction::kHigherIsBetter ? "higher is better" : "lower is better";
}

GateCheck Check(const MetricThreshold& t, const char* kind, double bound) {
  GateCheck check;
  check.metric = t.metric;
  check.kind = kind;
  check.bound = bound;
  return check;
}

void AddValueChecks(const MetricThreshold& t, double value, std::vector<GateCheck>* out) {
  if (t.lower_bound) {
    GateCheck c = Check(t, "lower_bound", *t.lower_bound);
    c.candidate = c.observed = value;
    c.passed = value >= *t.lower_bound;
    if (!c.passed) c.reason = StrCat(t.metric, " = ", value, " is below ", *t.lower_bound);
    out->push_back(std::move(c));
  }
  if (t.upper_bound) {
    GateCheck c = Check(t, "upper_bound", *t.upper_bound);
    c.candidate = c.observed = value;
    c.passed = value <= *t.upper_bound;
    if (!c.passed) c.reason = StrCat(t.metric, " = ", value, " is above ", *t.upper_bound);
    out->push_back(std::move(c));
  }
}

bool Passes(Direction direction, double observed, double bound) {
  return direction == Direction::kHigherIsBetter ? observed >= bound : observed <= bound;
}

void AddChangeCheck(const MetricThreshold& t, const char* kind, double bound, double value,
                    const std::optional<double>& baseline, std::vector<GateCheck>* out) {
  GateCheck c = Check(t, kind, bound);
  c.candidate = value;
  c.baseline = baseline;
  const bool relative = std::string_view(kind) == "relative_change";
  if (!baseline) {
    c.skipped = c.passed = true;
    c.reason = StrCat(t.metric, ": no baseline model, ", kind, " not checked");
  } else if (!std::isfinite(*baseline)) {
    c.reason = StrCat(t.metric, ": the baseline's value ", *baseline, " is not finite");
  } else if (relative && *baseline == 0) {
    c.reason = StrCat(t.metric, ": relative change is undefined, the baseline's value is 0");
  } else {
    const double diff = value - *baseline;
    c.observed = relative ? diff / *baseline : diff;
    c.passed = Passes(t.direction, c.observed, bound);
    if (!c.passed) {
      c.reason = StrCat(t.metric, ": ", relative ? "relative change " : "change ", c.observed, " (",
                        value, " vs baseline ", *baseline, ") is ",
                        t.direction == Direction::kHigherIsBetter ? "below " : "above ", bound,
                        " (", Better(t.direction), ")");
    }
  }
  out->push_back(std::move(c));
}

void AddChecks(const MetricThreshold& t, const Metrics& candidate,
               const std::optional<Metrics>& baseline, std::vector<GateCheck>* out) {
  auto found = candidate.find(t.metric);
  if (found == candidate.end() || !std::isfinite(found->second)) {
    GateCheck c = Check(t, "value", 0);
    c.reason = found == candidate.end()
                   ? StrCat(t.metric, ": the candidate has no such metric")
                   : StrCat(t.metric, " = ", found->second, " is not a finite number");
    out->push_back(std::move(c));
    return;
  }
  const double value = found->second;
  AddValueChecks(t, value, out);
  if (!t.absolute_change && !t.relative_change) return;
  std::optional<double> base;
  if (baseline) {
    auto b = baseline->find(t.metric);
    if (b == baseline->end()) {
      GateCheck c = Check(t, "change", 0);
      c.candidate = value;
      c.reason = StrCat(t.metric, ": the baseline model has no such metric to compare with");
      out->push_back(std::move(c));
      return;
    }
    base = b->second;
  }
  if (t.absolute_change) {
    AddChangeCheck(t, "absolute_change", *t.absolute_change, value, base, out);
  }
  if (t.relative_change) {
    AddChangeCheck(t, "relative_change", *t.relative_change, value, base, out);
  }
}

}  // namespace

GateResult EvaluateGate(const std::vector<MetricThreshold>& thresholds, const Metrics& candidate,
                        const std::optional<Metrics>& baseline) {
  GateResult result;
  for (const MetricThreshold& t : thresholds) AddChecks(t, candidate, baseline, &result.checks);
  for (const GateCheck& c : result.checks) result.passed = result.passed && c.passed;
  return result;
}

std::string GateResult::Summary() const {
  std::string failed;
  for (const GateCheck& c : checks) {
    if (!c.passed) failed += (failed.empty() ? "" : "; ") + c.reason;
  }
  if (!failed.empty()) return "failed: " + failed;
  return StrCat("passed: ", checks.size(), checks.size() == 1 ? " check" : " checks");
}

}  // namespace ferry::pipeline
