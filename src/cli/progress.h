#pragma once
// The one progress printer of the CLI (training, package build, push and pull): renders the
// one progress report (common/progress.h) on stderr, one line per item rewritten in place on
// a terminal, a line per tenth otherwise (logs, CI). Items smaller than `min_total` are not
// shown; byte counts are shown in MiB, steps as a percentage only.

#include <cstdint>
#include <string>

#include "common/progress.h"

namespace ferry::cli {

struct ProgressStyle {
  bool tty = false;       // rewrite in place (else a line per tenth)
  int64_t min_total = 0;  // smaller items are not shown
};

// Prints to `out` (stderr when null; tests pass a string).
ProgressFn ProgressPrinter(ProgressStyle style, std::string* out = nullptr);
// The style for stderr: tty when it is a terminal.
ProgressStyle StderrStyle(int64_t min_total);

}  // namespace ferry::cli
