#pragma once
// The rows of an MLflow scoring request, whatever its format (dataframe_split,
// dataframe_records, instances, inputs, CSV), read column by column. Internal to
// invocations_codec.cc.

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace ferry::http {

class ScoringTable {
 public:
  // Picks the format of a JSON request body. `root` must outlive the table.
  static absl::StatusOr<ScoringTable> FromJson(const JsonValue& root);
  // Parses CSV text with a header row into `storage` (dataframe_split form) and reads it.
  static absl::StatusOr<ScoringTable> FromCsv(std::string_view csv, JsonValue& storage);

  // The cells of column `name`, one per row. Positional rows (lists without column names)
  // give cell `pos` and must hold `width` values each. kInvalidArgument naming a missing
  // column or a malformed row.
  absl::StatusOr<std::vector<const JsonValue*>> Column(std::string_view name, size_t pos,
                                                       size_t width) const;
  // The rows themselves when the request is a plain list (instances / inputs as a list), for
  // single-input schemas; nullptr for named formats.
  const std::vector<JsonValue>* PlainRows() const;
  // CSV cells are strings; numeric inputs parse them.
  bool from_csv() const { return from_csv_; }

 private:
  enum class Kind { kRecords, kSplit, kColumnar, kRows };
  ScoringTable(Kind kind, const JsonValue* rows, const JsonValue* columns)
      : kind_(kind), rows_(rows), columns_(columns) {}
  absl::StatusOr<std::vector<const JsonValue*>> SplitColumn(std::string_view name, size_t pos,
                                                            size_t width) const;

  Kind kind_;
  const JsonValue* rows_;     // records, split data, or plain rows
  const JsonValue* columns_;  // split columns (may be null) or the columnar object
  bool from_csv_ = false;
};

}  // namespace ferry::http
