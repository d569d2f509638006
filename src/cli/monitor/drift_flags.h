#pragma once
// Flags shared by `ferry monitor drift` and `ferry monitor report`: the reference and current
// data, the test overrides, and the reading of both files.

#include <string>

#include "cli/flags.h"
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

struct DriftInputs {
  Frame reference;
  Frame current;
};

// Reads --reference and --current (CSV, TSV or JSON lines). The reference is read through
// ReadReference, the one place where a profile or a package will be accepted later.
absl::StatusOr<DriftInputs> ReadDriftInputs(const FlagSet& flags);

// Reads the reference data at `path`. Today a data file; a profile or a package is refused
// with a clear message (their drift is computed from sketches, not from a Frame).
absl::StatusOr<Frame> ReadReference(const std::string& path);

}  // namespace ferry::cli
