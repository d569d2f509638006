#pragma once
// Flags shared by `ferry monitor drift` and `ferry monitor report`: the reference and current
// data, the test overrides, and the reading of both files.

#include <optional>
#include <string>

#include "cli/flags.h"
#include "cli/monitor/drift_reference.h"
#include "common/status.h"
#include "core/frame.h"
#include "monitoring/drift/drift_engine.h"

namespace ferry::cli {

// Declares --reference, --current, --columns, --stattest, --stattest-column, --threshold,
// --drift-share and --strict.
void DeclareDriftFlags(FlagSet& flags);

// The DriftOptions the flags ask for; kInvalidArgument naming the flag otherwise.
absl::StatusOr<monitoring::DriftOptions> DriftOptionsFromFlags(const FlagSet& flags);

// Parses a finite number for `flag` ("--threshold \"x\": not a number").
absl::StatusOr<double> ParseNumberFlag(const std::string& flag, const std::string& value);

struct DriftRun {
  DriftReference reference;
  Frame current;
  // With a profile or package reference: the current data profiled with the reference's
  // options (KLL k, seed), and the drift from ComputeProfileDrift.
  std::optional<monitoring::DatasetProfile> current_profile;
  monitoring::DatasetDrift drift;
};

// Reads --reference (ReadReference: data, profile or package) and --current (data), then
// computes the drift: ComputeDrift on two data files, ComputeProfileDrift otherwise. On
// failure prints "<command>: <reason>" and returns the exit code: 2 (with the help) when an
// option cannot apply to a profile reference (a test that needs raw values), else 1.
std::optional<int> RunDrift(const FlagSet& flags, const char* command,
                            const monitoring::DriftOptions& options, DriftRun* out);

}  // namespace ferry::cli
