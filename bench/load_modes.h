#pragma once
// The load generator's modes. Each prints a human-readable report and one machine-readable
// line starting with "RESULT <mode>", and fails on any non-200 answer or wrong result.

#include "common/status.h"
#include "load_util.h"

namespace ferry::bench {

absl::Status RunIngest(const LoadOptions& o);
absl::Status RunSearch(const LoadOptions& o);
absl::Status RunHistory(const LoadOptions& o);
absl::Status RunGet(const LoadOptions& o);

}  // namespace ferry::bench
