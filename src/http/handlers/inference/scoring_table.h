#pragma once
// The rows of an MLflow scoring request, whatever its format (dataframe_split,
// dataframe_records, instances, inputs, CSV), read column by column. Internal to the
// /invocations decoder. Errors are MLflow's (scoring_errors.h): BAD_REQUEST with MLflow's
// wording for a body that is not one of the formats.

#include <cstddef>
#include <optional>
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

  // The column names as pandas would name the DataFrame's columns: split's "columns" (or
  // "0", "1", ... without), the keys of records in order of first appearance, the keys of
  // columnar inputs, "0", "1", ... for plain rows of lists.
  const std::vector<std::string>& ColumnNames() const { return names_; }
  // Position of `name` in ColumnNames(), or nullopt.
  std::optional<size_t> ColumnIndex(std::string_view name) const;
  // The cells of column `name`, one per row; nullptr where a record lacks the key. Plain
  // rows (lists without names) give cell `pos` and must hold `width` values each.
  // kInvalidArgument naming a missing column or a malformed row.
  absl::StatusOr<std::vector<const JsonValue*>> Column(std::string_view name, size_t pos,
                                                       size_t width) const;
  // The rows themselves when the request is a plain list (instances / inputs as a list), for
  // single-input schemas; nullptr for named formats.
  const std::vector<JsonValue>* PlainRows() const;
  // True when the rows carry no column names (plain rows of lists, dataframe_split without
  // "columns"): ColumnNames() are then positions.
  bool positional() const {
    return kind_ == Kind::kRows || (kind_ == Kind::kSplit && columns_ == nullptr);
  }
  // True for `inputs` given as {name: [values]}: its columns may differ in length.
  bool columnar() const { return kind_ == Kind::kColumnar; }
  // "dataframe_split", "dataframe_records", "instances", "inputs" or "csv".
  std::string_view format() const { return format_; }
  // CSV cells are strings; numeric inputs parse them.
  bool from_csv() const { return format_ == "csv"; }

 private:
  enum class Kind { kRecords, kSplit, kColumnar, kRows };
  ScoringTable(Kind kind, std::string_view format, const JsonValue* rows, const JsonValue* columns)
      : kind_(kind), format_(format), rows_(rows), columns_(columns) {}
  void NameColumns();
  absl::StatusOr<std::vector<const JsonValue*>> SplitColumn(std::string_view name, size_t pos,
                                                            size_t width) const;

  Kind kind_;
  std::string_view format_;
  const JsonValue* rows_;     // records, split data, or plain rows
  const JsonValue* columns_;  // split columns (may be null) or the columnar object
  std::vector<std::string> names_;
};

}  // namespace ferry::http
