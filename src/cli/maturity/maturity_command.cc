#include "cli/maturity/maturity_command.h"

#include <cstdio>

#include "cli/flags.h"
#include "cli/maturity/gather.h"
#include "cli/maturity/report.h"
#include "common/fs.h"

namespace ferry::cli {

int MaturityCommand(const std::vector<std::string>& args) {
  static constexpr char kCommand[] = "ferry maturity";
  FlagSet flags(
      "ferry maturity [--server URL] [--format text|json] [DIR]",
      "Assesses the project in DIR (default: .) against Google's MLOps levels 0/1/2 and the\n"
      "28 tests of the ML Test Score (Breck et al. 2017: 0.5 for a manual test, 1.0 for an\n"
      "automated one; the score is the minimum of the four section sums), from what Ferry can\n"
      "observe: pipeline.yaml and its step kinds, the schema, CI files running `ferry pipeline\n"
      "run`, git, run records; with --server the registry (aliases, versions, ferry.gate and\n"
      "ferry.promotion tags), pipeline runs and their triggers, and live monitoring. Prints the\n"
      "level, the score, the evidence for each test and what is missing. docs/MATURITY.md.");
  flags.String("server", "", "a Ferry tracking server to ask as well (http://host:port)");
  flags.String("format", "text", "text or json");
  if (auto exit = flags.ParseCommand(kCommand, args)) return *exit;
  if (flags.positional().size() > 1) return flags.UsageError(kCommand, "give at most one DIR");
  const std::string& format = flags.Get("format");
  if (format != "text" && format != "json") {
    return flags.UsageError(kCommand, "--format must be text or json, got '" + format + "'");
  }
  pipeline::maturity::Observations o;
  o.dir = flags.positional().empty() ? "." : flags.positional()[0];
  if (!ListDir(o.dir).ok()) {
    std::fprintf(stderr, "%s: %s is not a readable directory\n", kCommand, o.dir.c_str());
    return 1;
  }
  o.project = GatherProject(o.dir);
  if (!flags.Get("server").empty()) o.server = GatherServer(flags.Get("server"));
  const auto a = pipeline::maturity::Assess(o);
  const std::string out = format == "json" ? MaturityJson(o, a) : MaturityText(o, a);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace ferry::cli
