#pragma once
// What `ferry promote` reads from GET /api/ferry/v1/deployments/NAME: each arm's version and
// figures since it was loaded, turned into the canary judge's ArmStats.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "pipeline/gate/canary_judge.h"

namespace ferry::cli {

// The arm's latency histogram: count per bucket (lo, hi] in microseconds (lo = hi: above the
// last bound).
using LatencyBuckets = std::map<std::pair<int64_t, int64_t>, uint64_t>;

struct ArmFigures {
  std::string version;
  std::string state;
  int64_t requests = 0;
  int64_t errors = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::optional<double> quality;  // when the server reports one for the arm
  bool alert_firing = false;
  int percent = 0;         // challengers only
  LatencyBuckets latency;  // empty when the server does not send it
};

struct DeploymentFigures {
  std::optional<ArmFigures> primary;
  std::optional<ArmFigures> challenger;
};

// kDataLoss naming the field when the answer is not the documented shape. A firing alert of
// live monitoring ("monitoring") marks the primary arm when it watches the primary's version.
absl::StatusOr<DeploymentFigures> ParseDeploymentFigures(std::string_view json);

// The p99 latency in milliseconds of the requests counted in `now` but not in `start` (two
// readings of one arm's histogram); 0 when there are none.
double WindowP99Ms(const LatencyBuckets& now, const LatencyBuckets& start);

// The champion's figures for the canary window: its counts and its p99 over what it served
// since the start of the window (`start`; it served alone before). From a server without
// latency histograms, its p99 since it was loaded.
pipeline::ArmStats ChampionStats(const ArmFigures& now, const ArmFigures& start);
pipeline::ArmStats ChallengerStats(const ArmFigures& now);

}  // namespace ferry::cli
