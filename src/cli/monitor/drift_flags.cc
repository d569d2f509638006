#include "cli/monitor/drift_flags.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/strings.h"
#include "core/frame_reader.h"
#include "monitoring/drift/profile_drift.h"

namespace ferry::cli {
namespace {

using monitoring::DriftOptions;
using monitoring::ParseStatTest;
using monitoring::StatTest;

absl::Status FlagError(const std::string& flag, const std::string& value,
                       std::string_view message) {
  return absl::InvalidArgumentError("--" + flag + " \"" + value + "\": " + std::string(message));
}

std::vector<std::string> SplitColumns(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

absl::Status ParseColumnTests(const FlagSet& flags, DriftOptions* options) {
  for (const std::string& item : flags.GetAll("stattest-column")) {
    size_t eq = item.rfind('=');
    if (eq == std::string::npos || eq == 0) {
      return FlagError("stattest-column", item, "expected COL=NAME");
    }
    absl::StatusOr<StatTest> test = ParseStatTest(item.substr(eq + 1));
    if (!test.ok()) return FlagError("stattest-column", item, StatusMessage(test.status()));
    options->column_tests[item.substr(0, eq)] = *test;
  }
  return absl::OkStatus();
}

}  // namespace

void DeclareDriftFlags(FlagSet& flags) {
  flags.String("reference", "",
               "reference: CSV, TSV or JSON lines, a profile, or a package with a reference "
               "profile (required)");
  flags.String("current", "", "current data: CSV, TSV or JSON lines (required)");
  flags.String("columns", "", "comma-separated columns to test (default: every reference column)");
  flags.String("stattest", "", "one test for every column: " + monitoring::StatTestNames());
  flags.Repeated("stattest-column", "the test of one column, COL=NAME");
  flags.String("threshold", "", "threshold for every column (default: each test's own)");
  flags.String("drift-share", "0.5", "dataset drift when this share of columns drifts");
  flags.Bool("strict", "corrected tests instead of Evidently's (see docs/MONITORING.md)");
}

absl::StatusOr<double> ParseNumberFlag(const std::string& flag, const std::string& value) {
  char* end = nullptr;
  double v = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !std::isfinite(v)) {
    return FlagError(flag, value, "not a number");
  }
  return v;
}

absl::StatusOr<DriftOptions> DriftOptionsFromFlags(const FlagSet& flags) {
  DriftOptions options;
  options.columns = SplitColumns(flags.Get("columns"));
  if (flags.IsSet("columns") && options.columns.empty()) {
    return FlagError("columns", flags.Get("columns"), "names no column");
  }
  if (flags.IsSet("stattest")) {
    absl::StatusOr<StatTest> test = ParseStatTest(flags.Get("stattest"));
    if (!test.ok())
      return FlagError("stattest", flags.Get("stattest"), StatusMessage(test.status()));
    options.stattest = *test;
  }
  RETURN_IF_ERROR(ParseColumnTests(flags, &options));
  if (flags.IsSet("threshold")) {
    ASSIGN_OR_RETURN(double t, ParseNumberFlag("threshold", flags.Get("threshold")));
    if (t < 0) return FlagError("threshold", flags.Get("threshold"), "must be >= 0");
    options.threshold = t;
  }
  ASSIGN_OR_RETURN(options.drift_share, ParseNumberFlag("drift-share", flags.Get("drift-share")));
  if (!(options.drift_share > 0 && options.drift_share <= 1)) {
    return FlagError("drift-share", flags.Get("drift-share"), "must be in (0, 1]");
  }
  options.strict = flags.GetBool("strict");
  return options;
}

std::optional<int> RunDrift(const FlagSet& flags, const char* command, const DriftOptions& options,
                            DriftRun* out) {
  absl::StatusOr<DriftReference> reference = ReadReference(flags.Get("reference"));
  if (!reference.ok()) return Fail(command, reference.status());
  out->reference = *std::move(reference);
  const std::optional<monitoring::DatasetProfile>& profile = out->reference.profile;
  if (profile) {
    absl::Status s = monitoring::CheckProfileDriftOptions(options);
    if (!s.ok()) {
      return flags.UsageError(command, std::string(StatusMessage(s)) + " (--reference is a " +
                                           ReferenceKindName(out->reference.kind) + ")");
    }
  }
  absl::StatusOr<Frame> current = ReadFrame(flags.Get("current"));
  if (!current.ok()) return Fail(command, current.status());
  out->current = *std::move(current);
  absl::StatusOr<monitoring::DatasetDrift> drift;
  if (profile) {
    out->current_profile = monitoring::DatasetProfile::FromFrame(out->current, profile->options());
    drift = monitoring::ComputeProfileDrift(*profile, *out->current_profile, options);
  } else {
    drift = monitoring::ComputeDrift(out->reference.frame, out->current, options);
  }
  if (!drift.ok()) return Fail(command, drift.status());
  out->drift = *std::move(drift);
  return std::nullopt;
}

}  // namespace ferry::cli
