#include "monitoring/data/report.h"

#include "common/json_writer.h"
#include "monitoring/data/describe.h"

namespace ferry::monitoring {
namespace {

int64_t CountOf(const ValidationResult& result, Severity severity) {
  int64_t n = 0;
  for (const Anomaly& a : result.anomalies) n += a.severity == severity;
  return n;
}

std::string Plural(int64_t n, std::string_view word) {
  return FormatCount(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

std::string ValidationText(const ValidationResult& result, std::string_view data) {
  std::string out;
  for (const Anomaly& a : result.anomalies) {
    std::string severity(SeverityName(a.severity));
    out += severity + std::string(8 - severity.size(), ' ') + a.kind + ": " + a.description + "\n";
  }
  std::string where = std::string(data) + " (" + Plural(result.rows, "row") + ", " +
                      Plural(result.columns, "column") + ")";
  if (result.anomalies.empty()) return out + "OK: no anomalies in " + where + "\n";
  int64_t errors = CountOf(result, Severity::kError);
  out += (errors > 0 ? "FAILED: " : "OK: ") + Plural(errors, "error") + ", " +
         Plural(CountOf(result, Severity::kWarning), "warning") + " in " + where + "\n";
  return out;
}

std::string ValidationJson(const ValidationResult& result, std::string_view data) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("format", "ferry.monitoring.anomalies").Field("version", int64_t{1});
  w.Field("data", data).FieldBool("blocking", result.blocking());
  w.Field("rows", result.rows).Field("columns", result.columns);
  w.Field("errors", CountOf(result, Severity::kError))
      .Field("warnings", CountOf(result, Severity::kWarning));
  w.Key("anomalies").BeginArray();
  for (const Anomaly& a : result.anomalies) {
    w.BeginObject().Key("column");
    if (a.column.empty()) {
      w.Null();
    } else {
      w.String(a.column);
    }
    w.Field("kind", a.kind).Field("severity", SeverityName(a.severity));
    w.Field("description", a.description).Field("count", a.count);
    w.Key("examples").BeginArray();
    for (const std::string& e : a.examples) w.String(e);
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return out + "\n";
}

}  // namespace ferry::monitoring
