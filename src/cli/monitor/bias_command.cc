// `ferry monitor bias --data D --segment COL --prediction COL ...`: prediction distribution
// and quality per segment, and the fairness gaps; exit 1 when a gap passes --threshold.

#include <cstdio>
#include <string>
#include <vector>

#include "cli/monitor/bias_flags.h"
#include "cli/monitor/drift_commands.h"
#include "core/frame_reader.h"
#include "monitoring/drift/bias_format.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry monitor bias";
constexpr char kUsage[] =
    "ferry monitor bias --data D --segment COL --prediction COL [--label COL] [flags]";
constexpr char kDescription[] =
    "Per segment (each value of --segment): the count, the positive rate (classification) or\n"
    "the mean prediction (regression) and, with --label, accuracy and recall or RMSE and\n"
    "MAE; then the gaps Fairlearn reports: demographic parity difference and ratio, equal\n"
    "opportunity difference (and the max - min of each metric).\n"
    "\n"
    "Exit status: 0 when no gap exceeds --threshold (or none is given), 1 when one does or on\n"
    "an error, 2 on a usage error.";

}  // namespace

int MonitorBiasCommand(const std::vector<std::string>& args) {
  FlagSet flags(kUsage, kDescription);
  DeclareBiasFlags(flags, /*standalone=*/true);
  flags.String("format", "text", "output: text or json");
  if (std::optional<int> done = flags.ParseCommand(kCommand, args, 0)) return *done;
  if (!flags.IsSet("data")) return flags.UsageError(kCommand, "--data is required");
  const std::string& format = flags.Get("format");
  if (format != "text" && format != "json") {
    return flags.UsageError(kCommand, "--format must be text or json");
  }
  absl::StatusOr<BiasInputs> in = BiasInputsFromFlags(flags);
  if (!in.ok()) return flags.UsageError(kCommand, std::string(in.status().message()));
  absl::StatusOr<Frame> data = ReadFrame(flags.Get("data"));
  if (!data.ok()) return Fail(kCommand, data.status());
  absl::StatusOr<monitoring::BiasReport> report = monitoring::ComputeBias(*data, in->options);
  if (!report.ok()) return Fail(kCommand, report.status());
  const std::string& segment = in->options.segment;
  std::fputs(format == "json" ? monitoring::BiasToJson(*report, segment, in->threshold).c_str()
                              : monitoring::BiasToText(*report, segment, in->threshold).c_str(),
             stdout);
  bool over = in->threshold && !monitoring::GapsOver(*report, *in->threshold).empty();
  return over ? kExitFailure : kExitOk;
}

}  // namespace ferry::cli
