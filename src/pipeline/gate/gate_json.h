#pragma once
// The evaluation gate's files: the thresholds file `ferry gate --thresholds` reads, the
// metrics files (--candidate-metrics, --baseline-metrics) and the blessing it writes.
//
// Thresholds (JSON; docs/PIPELINES.md "Gates"):
//   {"thresholds": [{"metric": "accuracy", "lower_bound": 0.8, "upper_bound": 1,
//                    "absolute_change": -0.01, "relative_change": 0.0,
//                    "direction": "higher" | "lower"}, ...]}
// (a bare array is accepted too). "metric" is required, every bound optional, "direction"
// defaults to "higher"; unknown fields and wrong types are errors naming the field
// ("thresholds[1].direction: expected \"higher\" or \"lower\", got \"up\"").
//
// Metrics: {"accuracy": 0.91, "rmse": 3.2} or {"metrics": {...}}: numbers only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pipeline/gate/evaluation_gate.h"

namespace ferry::pipeline {

absl::StatusOr<std::vector<MetricThreshold>> ParseThresholds(std::string_view json);
absl::StatusOr<Metrics> ParseMetrics(std::string_view json);

// What was compared, for the blessing.
struct BlessingSubject {
  std::string model;
  std::string version;  // empty when the candidate came from a run or a file
  std::string run_id;
};

// {"passed", "summary", "candidate": SUBJECT, "baseline": SUBJECT | null,
//  "baseline_alias", "checks": [{"metric", "kind", "status": passed|failed|skipped,
//  "candidate", "baseline", "bound", "observed", "reason"}]}
std::string BlessingJson(const GateResult& result, const BlessingSubject& candidate,
                         const std::optional<BlessingSubject>& baseline,
                         const std::string& baseline_alias);

// One line per check: "PASS  accuracy lower_bound: 0.91 >= 0.8", "SKIP ...", "FAIL ...".
std::string FormatCheck(const GateCheck& check);

}  // namespace ferry::pipeline
