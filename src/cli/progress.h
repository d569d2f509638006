#pragma once
// The one progress printer of the CLI (training, package build, push and pull): on stderr,
// one line per item rewritten in place on a terminal, a line per tenth otherwise (logs, CI).
// Items smaller than `min_total` are not shown.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace ferry::cli {

// What every long-running CLI step reports: the item (a file, a blob digest, "training"),
// how much of it is done and its total (bytes, or per mille for fractions).
using ProgressCallback = std::function<void(const std::string& what, int64_t done, int64_t total)>;

struct ProgressStyle {
  bool tty = false;       // rewrite in place (else a line per tenth)
  int64_t min_total = 0;  // smaller items are not shown
  bool bytes = true;      // show "(done/total MiB)"
};

// Prints to `out` (stderr when null; tests pass a string).
ProgressCallback ProgressPrinter(ProgressStyle style, std::string* out = nullptr);
// The style for stderr: tty when it is a terminal.
ProgressStyle StderrStyle(int64_t min_total, bool bytes);

// Adapts a callback of fractions in [0, 1] (the trainers') to a ProgressCallback.
std::function<void(double, std::string_view)> FractionProgress(ProgressCallback callback,
                                                               std::string what);

}  // namespace ferry::cli
