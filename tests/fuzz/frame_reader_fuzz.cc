// libFuzzer target for the data-file readers (core/frame_reader.h: CSV, TSV, JSON lines) and
// the monitoring code that consumes what they read (schema inference and validation). The
// input is read in each of the three formats. Properties checked:
//   * every error is kInvalidArgument naming the source ("d:<line>: ..." or "d: ...");
//   * a table has as many cell columns as names, all of one length, names non-empty and
//     distinct; the typed Frame has the same shape;
//   * data validated against the schema inferred from it has no anomaly (no rows: only
//     NO_DATA_IN_SPAN), and the schema's JSON form parses back to the same JSON (when the
//     column names are UTF-8).

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "core/frame_reader.h"
#include "fuzz_check.h"
#include "monitoring/data/schema_infer.h"
#include "monitoring/data/schema_json.h"
#include "monitoring/data/validate.h"

namespace {

void CheckShape(const ferry::TextTable& t) {
  Check(t.cells.size() == t.names.size());
  std::set<std::string_view> names;
  for (size_t c = 0; c < t.names.size(); ++c) {
    Check(!t.names[c].empty());
    Check(names.insert(t.names[c]).second);
    Check(t.cells[c].size() == t.rows());
  }
}

void CheckMonitoring(const ferry::TextTable& t) {
  using namespace ferry::monitoring;  // NOLINT
  DataSchema schema = InferSchema(t);
  ValidationResult result = Validate(schema, t);
  if (t.rows() == 0) {
    Check(result.anomalies.size() == 1 && result.anomalies[0].kind == "NO_DATA_IN_SPAN");
  } else {
    Check(result.anomalies.empty());
  }
  std::string json = WriteSchemaJson(schema);
  absl::StatusOr<DataSchema> back = ParseSchemaJson(json, "s.json");
  // Names that are not UTF-8 are written with U+FFFD (escaped), so they neither round-trip
  // byte for byte nor need to stay distinct; `ferry monitor schema` refuses them.
  if (!CheckColumnNames(t).ok()) return;
  Check(back.ok());
  Check(WriteSchemaJson(*back) == json);
}

void Fuzz(std::string_view input, ferry::DataFormat format) {
  absl::StatusOr<ferry::TextTable> table = ferry::ReadTextTableFromString(input, format, "d");
  if (!table.ok()) {
    Check(table.status().code() == absl::StatusCode::kInvalidArgument);
    std::string message(table.status().message());
    Check(message.substr(0, 2) == "d:");
    return;
  }
  CheckShape(*table);
  CheckMonitoring(*table);
  size_t rows = table->rows(), columns = table->names.size();
  ferry::Frame frame = ferry::FrameFromText(*std::move(table));
  Check(frame.columns.size() == columns);
  for (const ferry::Column& c : frame.columns) Check(c.size() == rows);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Fuzz(input, ferry::DataFormat::kCsv);
  Fuzz(input, ferry::DataFormat::kTsv);
  Fuzz(input, ferry::DataFormat::kJsonLines);
  return 0;
}
