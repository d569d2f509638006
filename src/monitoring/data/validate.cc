#include "monitoring/data/validate.h"

#include "monitoring/data/describe.h"

namespace ferry::monitoring {
namespace {

std::string Col(const std::string& name) { return "column " + QuoteValue(name); }

void CheckDataset(const DataSchema& schema, int64_t rows, std::vector<Anomaly>& out) {
  if (rows == 0) {
    out.push_back(MakeAnomaly("", "NO_DATA_IN_SPAN",
                              "the data has no rows (the schema was inferred from " +
                                  FormatCount(schema.num_examples) + ")"));
  } else if (rows < schema.min_examples_count) {
    out.push_back(MakeAnomaly("", "DATASET_LOW_NUM_EXAMPLES",
                              "the data has " + FormatCount(rows) +
                                  " rows; the schema requires at least " +
                                  FormatCount(schema.min_examples_count),
                              rows));
  }
}

std::string MissingThen(const Observed& o) {
  int64_t rows = o.count + o.missing;
  if (rows == 0) return "";
  return "; " + FormatShare(o.missing, rows) + " were missing when the schema was inferred";
}

// Presence; false when the column has no value to check further.
bool CheckPresence(const ColumnSchema& c, const ColumnSummary& s, std::vector<Anomaly>& out) {
  const int64_t present = s.present();
  if (present == 0) {
    if (c.presence.min_count > 0) {
      out.push_back(MakeAnomaly(c.name, "FEATURE_TYPE_NOT_PRESENT",
                                Col(c.name) + ": none of the " + FormatCount(s.rows) +
                                    " rows has a value" + MissingThen(c.observed),
                                s.rows));
    }
    return false;
  }
  if (present < c.presence.min_count) {
    out.push_back(MakeAnomaly(c.name, "FEATURE_TYPE_LOW_NUMBER_PRESENT",
                              Col(c.name) + ": " + FormatCount(present) +
                                  " rows have a value; the schema requires at least " +
                                  FormatCount(c.presence.min_count),
                              present));
  }
  double fraction = static_cast<double>(present) / static_cast<double>(s.rows);
  if (fraction < c.presence.min_fraction) {
    out.push_back(MakeAnomaly(c.name, "FEATURE_TYPE_LOW_FRACTION_PRESENT",
                              Col(c.name) + ": " + PartOf(s.missing, s.rows, "rows") +
                                  " have no value; the schema requires a value in at least " +
                                  FormatPercent(c.presence.min_fraction) + " of rows" +
                                  MissingThen(c.observed),
                              s.missing));
  }
  return true;
}

}  // namespace

Anomaly MakeAnomaly(std::string column, std::string_view kind, std::string description,
                    int64_t count) {
  Anomaly a;
  a.column = std::move(column);
  a.kind = std::string(kind);
  a.severity = SeverityOf(kind);
  a.description = std::move(description);
  a.count = count;
  return a;
}

ValidationResult Validate(const DataSchema& schema, const TextTable& table) {
  ValidationResult result;
  result.rows = static_cast<int64_t>(table.rows());
  result.columns = static_cast<int64_t>(table.names.size());
  CheckDataset(schema, result.rows, result.anomalies);
  for (const ColumnSchema& c : schema.columns) {
    size_t i = 0;
    while (i < table.names.size() && table.names[i] != c.name) ++i;
    if (i == table.names.size()) {
      result.anomalies.push_back(MakeAnomaly(c.name, "SCHEMA_MISSING_COLUMN",
                                             Col(c.name) + " is in the schema (type " +
                                                 std::string(ColumnTypeName(c.type)) +
                                                 ") but not in the data"));
      continue;
    }
    if (result.rows == 0) continue;
    ColumnSummary summary = Summarize(table.cells[i]);
    if (CheckPresence(c, summary, result.anomalies)) {
      ValidateValues(c, summary, result.anomalies);
    }
  }
  for (const std::string& name : table.names) {
    if (schema.Find(name) == nullptr) {
      result.anomalies.push_back(MakeAnomaly(name, "SCHEMA_NEW_COLUMN",
                                             Col(name) + " is in the data but not in the schema"));
    }
  }
  return result;
}

}  // namespace ferry::monitoring
