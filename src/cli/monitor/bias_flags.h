#pragma once
// Flags of `ferry monitor bias`, also accepted by `ferry monitor report` for its bias section.

#include <optional>

#include "cli/flags.h"
#include "common/status.h"
#include "monitoring/drift/bias.h"

namespace ferry::cli {

// Declares --segment, --prediction, --label, --positive and the gap threshold: --data and
// --threshold for the bias command (`standalone`), --bias-threshold for the report (whose
// --threshold is the drift tests').
void DeclareBiasFlags(FlagSet& flags, bool standalone);

struct BiasInputs {
  monitoring::BiasOptions options;
  std::optional<double> threshold;
};

// kInvalidArgument naming the flag: --segment or --prediction missing, a bad threshold.
absl::StatusOr<BiasInputs> BiasInputsFromFlags(const FlagSet& flags);

}  // namespace ferry::cli
