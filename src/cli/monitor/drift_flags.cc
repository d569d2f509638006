#include "cli/monitor/drift_flags.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "common/strings.h"
#include "core/frame_reader.h"

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

// Whether the file starts like a binary profile or an OCI package (tar or a directory)
// rather than CSV, TSV or JSON lines text.
bool LooksLikeProfileOrPackage(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  char head[512] = {};
  in.read(head, sizeof(head));
  std::streamsize n = in.gcount();
  for (std::streamsize i = 0; i < n; ++i) {
    if (head[i] == '\0') return true;
  }
  return false;
}

}  // namespace

void DeclareDriftFlags(FlagSet& flags) {
  flags.String("reference", "", "reference data: CSV, TSV or JSON lines (required)");
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

absl::StatusOr<Frame> ReadReference(const std::string& path) {
  // The seam for `--reference profile.bin` and `--reference model.oci`: those carry sketches,
  // and their drift goes through the profile comparison, not ComputeDrift on a Frame.
  if (LooksLikeProfileOrPackage(path)) {
    return absl::InvalidArgumentError(
        path +
        ": not a CSV, TSV or JSON-lines file (a profile or a package as reference is not "
        "supported by this command yet)");
  }
  return ReadFrame(path);
}

absl::StatusOr<DriftInputs> ReadDriftInputs(const FlagSet& flags) {
  for (const char* name : {"reference", "current"}) {
    if (!flags.IsSet(name)) {
      return absl::InvalidArgumentError(std::string("--") + name + " is required");
    }
  }
  DriftInputs in;
  ASSIGN_OR_RETURN(in.reference, ReadReference(flags.Get("reference")));
  ASSIGN_OR_RETURN(in.current, ReadFrame(flags.Get("current")));
  return in;
}

}  // namespace ferry::cli
