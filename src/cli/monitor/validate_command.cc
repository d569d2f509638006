// `ferry monitor validate --schema schema.json DATA [--format text|json]`: checks a data file
// against a schema from `ferry monitor schema`; exit 1 on a blocking (ERROR) anomaly, so that a
// pipeline or CI can gate on it.

#include <cstdio>

#include "cli/flags.h"
#include "cli/monitor/validation_commands.h"
#include "common/fs.h"
#include "monitoring/data/report.h"
#include "monitoring/data/schema_json.h"
#include "monitoring/data/validate.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry monitor validate";

absl::StatusOr<monitoring::DataSchema> LoadSchema(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return monitoring::ParseSchemaJson(text, path);
}

}  // namespace

int MonitorValidateCommand(const std::vector<std::string>& args) {
  FlagSet flags("ferry monitor validate --schema schema.json DATA [--format text|json]",
                "Checks DATA (CSV, TSV or JSON lines) against a schema written by 'ferry\n"
                "monitor schema' and lists the anomalies (TFDV's names): missing or new\n"
                "columns, type changes, out-of-range values, NaN and infinities, unexpected\n"
                "categories, missing values, too few rows. Exit status: 0 when no anomaly is\n"
                "an ERROR (warnings allowed), 1 when one is (or DATA or the schema cannot be\n"
                "read), 2 for a usage error.");
  flags.String("schema", "", "the schema file (required)");
  flags.String("format", "text", "text (for people) or json (docs/MONITORING.md)");
  if (auto exit = flags.ParseCommand(kCommand, args, 1)) return *exit;
  const std::string& format = flags.Get("format");
  if (flags.Get("schema").empty()) return flags.UsageError(kCommand, "--schema is required");
  if (format != "text" && format != "json") {
    return flags.UsageError(kCommand, "--format must be text or json, not '" + format + "'");
  }
  absl::StatusOr<monitoring::DataSchema> schema = LoadSchema(flags.Get("schema"));
  if (!schema.ok()) return Fail(kCommand, schema.status());
  const std::string& data = flags.positional()[0];
  absl::StatusOr<TextTable> table = ReadTextTable(data);
  if (!table.ok()) return Fail(kCommand, table.status());
  monitoring::ValidationResult result = monitoring::Validate(*schema, *table);
  std::string out = format == "json" ? monitoring::ValidationJson(result, data)
                                     : monitoring::ValidationText(result, data);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return result.blocking() ? kExitFailure : kExitOk;
}

}  // namespace ferry::cli
