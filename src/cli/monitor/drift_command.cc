// `ferry monitor drift --reference R --current C ...`: per-column drift tests and the dataset
// verdict, as text or as JSON.

#include <cstdio>
#include <string>
#include <vector>

#include "cli/monitor/drift_commands.h"
#include "cli/monitor/drift_flags.h"
#include "monitoring/drift/drift_format.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry monitor drift";
constexpr char kUsage[] = "ferry monitor drift --reference R --current C [flags]";
constexpr char kDescription[] =
    "Tests every column of C against the same column of R (CSV, TSV or JSON lines) and\n"
    "calls dataset drift when the share of drifted columns reaches --drift-share.\n"
    "Tests, thresholds and verdict rules are Evidently's by default (docs/MONITORING.md).\n"
    "R may also be a profile ('ferry monitor profile') or a package built with\n"
    "--reference-data: C is then profiled alike and compared by sketch_ks (numerical\n"
    "columns) and jensenshannon (categorical ones); --threshold is then alpha for sketch_ks.\n"
    "\n"
    "Exit status: 0 when the comparison ran (drift or not), 1 on an error or, with\n"
    "--fail-on-drift, when dataset drift is detected; 2 on a usage error.";

}  // namespace

int MonitorDriftCommand(const std::vector<std::string>& args) {
  FlagSet flags(kUsage, kDescription);
  DeclareDriftFlags(flags);
  flags.String("format", "text", "output: text or json");
  flags.Bool("fail-on-drift", "exit 1 when dataset drift is detected");
  if (std::optional<int> done = flags.ParseCommand(kCommand, args, 0)) return *done;
  if (!flags.IsSet("reference") || !flags.IsSet("current")) {
    return flags.UsageError(kCommand, "--reference and --current are required");
  }
  const std::string& format = flags.Get("format");
  if (format != "text" && format != "json") {
    return flags.UsageError(kCommand, "--format must be text or json");
  }
  absl::StatusOr<monitoring::DriftOptions> options = DriftOptionsFromFlags(flags);
  if (!options.ok()) return flags.UsageError(kCommand, std::string(options.status().message()));
  DriftRun run;
  if (std::optional<int> failed = RunDrift(flags, kCommand, *options, &run)) return *failed;
  const monitoring::DatasetDrift* drift = &run.drift;
  if (format == "json") {
    for (const monitoring::SkippedColumn& s : drift->skipped) {
      std::fprintf(stderr, "%s: column '%s' not tested: %s\n", kCommand,
                   monitoring::Printable(s.name).c_str(), s.reason.c_str());
    }
    std::fputs(monitoring::DriftToJson(*drift).c_str(), stdout);
  } else {
    std::fputs(monitoring::DriftToText(*drift).c_str(), stdout);
  }
  return flags.GetBool("fail-on-drift") && drift->dataset_drift ? kExitFailure : kExitOk;
}

}  // namespace ferry::cli
