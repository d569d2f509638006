#include "cli/monitor/bias_flags.h"

#include "cli/monitor/drift_flags.h"

namespace ferry::cli {

void DeclareBiasFlags(FlagSet& flags, bool standalone) {
  if (standalone)
    flags.String("data", "", "data with predictions: CSV, TSV or JSON lines (required)");
  flags.String("segment", "", "the column whose values form the segments");
  flags.String("prediction", "", "the prediction column");
  flags.String("label", "", "the ground-truth column (optional: quality per segment)");
  flags.String("positive", "",
               "the positive class (default: 1 when predictions are 0/1; numeric predictions "
               "otherwise mean regression)");
  flags.String(standalone ? "threshold" : "bias-threshold", "",
               standalone ? "exit 1 when a gap (a difference) is above this value"
                          : "mark every gap (a difference) above this value");
}

absl::StatusOr<BiasInputs> BiasInputsFromFlags(const FlagSet& flags) {
  BiasInputs in;
  in.options.segment = flags.Get("segment");
  in.options.prediction = flags.Get("prediction");
  in.options.label = flags.Get("label");
  in.options.positive = flags.Get("positive");
  if (in.options.segment.empty() || in.options.prediction.empty()) {
    return absl::InvalidArgumentError("--segment and --prediction are required");
  }
  for (const char* name : {"threshold", "bias-threshold"}) {
    if (!flags.IsSet(name)) continue;
    ASSIGN_OR_RETURN(double t, ParseNumberFlag(name, flags.Get(name)));
    if (t < 0) return absl::InvalidArgumentError(std::string("--") + name + " must be >= 0");
    in.threshold = t;
  }
  return in;
}

}  // namespace ferry::cli
