#include "cli/monitor/monitor_command.h"

#include "cli/monitor/drift_commands.h"
#include "cli/monitor/profile_commands.h"
#include "cli/monitor/validation_commands.h"
#include "cli/sub_commands.h"

namespace ferry::cli {
namespace {

// One line per sub-command (each defined in its own file).
constexpr SubCommand kSubCommands[] = {
    {"schema", "Infer a data schema (types, ranges, categories, presence) from a file",
     MonitorSchemaCommand},
    {"validate", "Check a file against a schema; exit 1 on a blocking anomaly",
     MonitorValidateCommand},
    {"profile", "Profile a data file into a mergeable binary profile", MonitorProfileCommand},
    {"show", "Print a profile: types, counts, quantiles, distinct counts, top items",
     MonitorShowCommand},
    {"drift",
     "Per-column drift tests of current data against reference data, and the dataset verdict",
     MonitorDriftCommand},
    {"report", "The drift report as one self-contained HTML page", MonitorReportCommand},
    {"bias", "Prediction and quality gaps between segments (bias)", MonitorBiasCommand},
};

}  // namespace

int MonitorCommand(const std::vector<std::string>& args) {
  return DispatchSubCommand("monitor",
                            "Data validation, profiles and drift on CSV, TSV or JSON-lines files.",
                            kSubCommands, args);
}

}  // namespace ferry::cli
