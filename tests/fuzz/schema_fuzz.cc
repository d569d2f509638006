// libFuzzer target for the data schema's JSON form (monitoring/data/schema_json.h), read by
// `ferry monitor validate --schema` from outside. Properties checked:
//   * every error is kInvalidArgument "<source>: <path>: <reason>";
//   * a schema that parses re-serialises to JSON that parses back and serialises to the same
//     bytes;
//   * validating a fixed table with every kind of value against it never fails, and every
//     anomaly it reports has a known kind, the severity of that kind and a sentence.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "monitoring/data/schema_json.h"
#include "monitoring/data/validate.h"

namespace {

using namespace ferry::monitoring;  // NOLINT

const ferry::TextTable& Table() {
  static const ferry::TextTable table = [] {
    ferry::TextTable t;
    t.names = {"a", "b", "c", "d", "e"};
    t.cells = {{"1", "-5", "", "9223372036854775807", "x"},
               {"0.5", "nan", "inf", "-inf", "1e308"},
               {"red", "blue", "", "red", "\xff"},
               {"true", "false", "0", "2", "maybe"},
               {"", "", "", "", ""}};
    return t;
  }();
  return table;
}

bool KnownKind(const Anomaly& a) {
  for (const AnomalyKind& k : AnomalyKinds()) {
    if (k.name == a.kind) return k.severity == a.severity;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<DataSchema> schema = ParseSchemaJson(input, "f.json");
  if (!schema.ok()) {
    Check(schema.status().code() == absl::StatusCode::kInvalidArgument);
    Check(schema.status().message().substr(0, 8) == "f.json: ");
    return 0;
  }
  std::string json = WriteSchemaJson(*schema);
  absl::StatusOr<DataSchema> again = ParseSchemaJson(json, "again.json");
  Check(again.ok());
  Check(WriteSchemaJson(*again) == json);
  ValidationResult result = Validate(*schema, Table());
  for (const Anomaly& a : result.anomalies) {
    Check(KnownKind(a));
    Check(!a.description.empty());
  }
  return 0;
}
