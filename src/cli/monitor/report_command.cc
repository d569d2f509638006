// `ferry monitor report --reference R --current C -o report.html`: the drift report as one
// self-contained HTML page, optionally with a bias section.

#include <cstdio>
#include <string>
#include <vector>

#include "cli/monitor/bias_flags.h"
#include "cli/monitor/drift_commands.h"
#include "cli/monitor/drift_flags.h"
#include "common/fs.h"
#include "monitoring/drift/bias_format.h"
#include "monitoring/drift/drift_format.h"
#include "monitoring/drift/report_html.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry monitor report";
constexpr char kUsage[] = "ferry monitor report --reference R --current C -o report.html [flags]";
constexpr char kDescription[] =
    "Writes the drift of C against R as one HTML page that needs no network: the dataset\n"
    "verdict, the counters, and per column the reference and current histograms, the verdict,\n"
    "the test and its score (drifted columns first). With --segment and --prediction it adds\n"
    "the bias of the current data by segment. The test flags are those of 'ferry monitor drift';\n"
    "R may also be a profile or a package with a reference profile.\n"
    "\n"
    "Exit status: 0 when the report was written, 1 on an error, 2 on a usage error.";

// The bias section of the current data, or "" when --segment is not given.
absl::StatusOr<std::string> BiasSection(const FlagSet& flags, const Frame& current) {
  if (!flags.IsSet("segment")) return std::string();
  ASSIGN_OR_RETURN(BiasInputs bias, BiasInputsFromFlags(flags));
  ASSIGN_OR_RETURN(monitoring::BiasReport report, monitoring::ComputeBias(current, bias.options));
  return monitoring::BiasToHtml(report, bias.options.segment, bias.threshold);
}

}  // namespace

int MonitorReportCommand(const std::vector<std::string>& args) {
  FlagSet flags(kUsage, kDescription);
  DeclareDriftFlags(flags);
  flags.String("output", "", "the HTML file to write (required)");
  flags.Alias("o", "output");
  DeclareBiasFlags(flags, /*with_data=*/false);
  if (std::optional<int> done = flags.ParseCommand(kCommand, args, 0)) return *done;
  if (!flags.IsSet("reference") || !flags.IsSet("current") || !flags.IsSet("output")) {
    return flags.UsageError(kCommand, "--reference, --current and -o are required");
  }
  absl::StatusOr<monitoring::DriftOptions> options = DriftOptionsFromFlags(flags);
  if (!options.ok()) return flags.UsageError(kCommand, std::string(options.status().message()));
  if (flags.IsSet("segment")) {
    if (absl::StatusOr<BiasInputs> bias = BiasInputsFromFlags(flags); !bias.ok()) {
      return flags.UsageError(kCommand, std::string(bias.status().message()));
    }
  }
  DriftRun run;
  if (std::optional<int> failed = RunDrift(flags, kCommand, *options, &run)) return *failed;
  const monitoring::DatasetDrift* drift = &run.drift;
  monitoring::ReportInfo info{flags.Get("reference"), flags.Get("current"), "", ""};
  absl::StatusOr<std::string> bias = BiasSection(flags, run.current);
  if (!bias.ok()) return Fail(kCommand, bias.status());
  info.extra_sections = *bias;
  std::string html;
  if (run.reference.profile) {
    info.note = std::string(run.reference.kind == ReferenceKind::kPackage
                                ? "The reference is the package's reference profile"
                                : "The reference is a profile") +
                ", not raw data: numerical columns are compared by sketch_ks (KS on "
                "the KLL sketches), categorical ones by their value counts, and the histograms "
                "are estimated from the sketches.";
    html = monitoring::RenderProfileDriftReport(*drift, *run.reference.profile,
                                                *run.current_profile, info);
  } else {
    html = monitoring::RenderDriftReport(*drift, run.reference.frame, run.current, info);
  }
  if (absl::Status s = WriteFileAtomic(flags.Get("output"), html); !s.ok()) {
    return Fail(kCommand, s);
  }
  std::printf("%s (%s)\n", flags.Get("output").c_str(),
              drift->dataset_drift ? "dataset drift detected" : "dataset drift NOT detected");
  return kExitOk;
}

}  // namespace ferry::cli
