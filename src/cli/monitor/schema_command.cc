// `ferry monitor schema DATA [-o schema.json]`: infers a schema (monitoring/data) from a CSV,
// TSV or JSON-lines file and writes its JSON form to stdout or a file.

#include <cstdio>

#include "cli/flags.h"
#include "cli/monitor/validation_commands.h"
#include "common/fs.h"
#include "common/strings.h"
#include "monitoring/data/schema_infer.h"
#include "monitoring/data/schema_json.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry monitor schema";

}  // namespace

int MonitorSchemaCommand(const std::vector<std::string>& args) {
  FlagSet flags("ferry monitor schema DATA [-o schema.json]",
                "Infers a data schema from DATA (CSV, TSV or JSON lines) as TFDV does: per\n"
                "column the type (INT, FLOAT, STRING, BOOL), presence, observed ranges, NaN and\n"
                "infinities, and the categories of string columns with few distinct values.\n"
                "Check later data against it with 'ferry monitor validate'. The schema is\n"
                "JSON (docs/MONITORING.md, \"Validation\"), written to stdout without -o.");
  flags.String("output", "", "write the schema to this file instead of stdout");
  flags.Alias("o", "output");
  flags.String("max-string-domain-size", "100",
               "largest number of distinct values a STRING column's category list may have");
  if (auto exit = flags.ParseCommand(kCommand, args, 1)) return *exit;
  std::optional<int64_t> max_domain = ParseInt64(flags.Get("max-string-domain-size"));
  if (!max_domain || *max_domain < 0) {
    return flags.UsageError(kCommand, "--max-string-domain-size must be a non-negative integer");
  }
  const std::string& data = flags.positional()[0];
  absl::StatusOr<TextTable> table = ReadTextTable(data);
  if (!table.ok()) return Fail(kCommand, table.status());
  if (absl::Status s = monitoring::CheckColumnNames(*table); !s.ok()) {
    return Fail(kCommand, absl::InvalidArgumentError(data + ": " + std::string(s.message())));
  }
  monitoring::InferOptions options;
  options.max_string_domain_size = static_cast<size_t>(*max_domain);
  monitoring::DataSchema schema = monitoring::InferSchema(*table, options);
  std::string json = monitoring::WriteSchemaJson(schema);
  const std::string& output = flags.Get("output");
  if (output.empty()) {
    std::fwrite(json.data(), 1, json.size(), stdout);
    return kExitOk;
  }
  if (absl::Status s = WriteFileAtomic(output, json); !s.ok()) return Fail(kCommand, s);
  std::printf("Wrote the schema of %s (%zu columns, %lld rows) to %s\n", data.c_str(),
              schema.columns.size(), static_cast<long long>(schema.num_examples), output.c_str());
  return kExitOk;
}

}  // namespace ferry::cli
