#pragma once
// What `ferry promote` reads from GET /api/ferry/v1/deployments/NAME: each arm's version and
// figures since it was loaded, turned into the canary judge's ArmStats.

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "pipeline/gate/canary_judge.h"

namespace ferry::cli {

struct ArmFigures {
  std::string version;
  std::string state;
  int64_t requests = 0;
  int64_t errors = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::optional<double> quality;  // when the server reports one for the arm
  bool alert_firing = false;
  int percent = 0;  // challengers only
};

struct DeploymentFigures {
  std::optional<ArmFigures> primary;
  std::optional<ArmFigures> challenger;
};

// kDataLoss naming the field when the answer is not the documented shape. A firing alert of
// live monitoring ("monitoring") marks the primary arm when it watches the primary's version.
absl::StatusOr<DeploymentFigures> ParseDeploymentFigures(std::string_view json);

// The champion's figures for the canary window: its counts minus those at the start of the
// window (`start`; it served alone before), its p99 since it was loaded.
pipeline::ArmStats ChampionStats(const ArmFigures& now, const ArmFigures& start);
pipeline::ArmStats ChallengerStats(const ArmFigures& now);

}  // namespace ferry::cli
