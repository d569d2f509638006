#include "http/handlers/inference/scoring_table.h"

#include <array>
#include <set>
#include <string>

#include "common/csv.h"
#include "http/handlers/inference/scoring_errors.h"

namespace ferry::http {
namespace {

constexpr std::array<std::string_view, 4> kFormats = {"dataframe_split", "dataframe_records",
                                                      "instances", "inputs"};
constexpr std::string_view kRequired =
    "The input must be a JSON dictionary with exactly one of the input fields "
    "{'dataframe_split', 'dataframe_records', 'instances', 'inputs'}.";

absl::Status Invalid(std::string_view message) {
  return BadRequest("Invalid input. " + std::string(message));
}

std::string FormatKeysError(const JsonValue& root) {
  if (!root.is_object()) return "Invalid input. " + std::string(kRequired) + " Received a list.";
  std::string keys;
  for (const auto& [k, v] : root.members()) {
    if (!keys.empty()) keys += ", ";
    keys += "'" + k + "'";
  }
  return std::string(kRequired) + " Received dictionary with input fields: [" + keys + "].";
}

// Python's word for a JSON value's type in MLflow's "Got ..." messages.
std::string TypeWord(const JsonValue& v, std::string_view list_word) {
  if (v.is_array()) return std::string(list_word);
  if (v.is_object()) return "dictionary";
  if (v.is_string()) return "type <class 'str'>";
  if (v.is_bool()) return "type <class 'bool'>";
  if (v.is_number()) return v.is_integer() ? "type <class 'int'>" : "type <class 'float'>";
  return "type <class 'NoneType'>";
}

absl::Status NotSplit(std::string_view why) {
  return Invalid(
      "Provided dataframe_split field is not a valid dataframe representation in 'split' "
      "format. Error: '" +
      std::string(why) + "'");
}

absl::Status CheckSplit(const JsonValue& split) {
  if (!split.is_object()) {
    return Invalid("Dataframe split format must be a dictionary. Got " + TypeWord(split, "list") +
                   ".");
  }
  std::string keys;
  bool extra = false;
  for (const auto& [k, v] : split.members()) {
    keys += (keys.empty() ? "'" : ", '") + k + "'";
    extra = extra || (k != "columns" && k != "data" && k != "index");
  }
  if (split.Find("data") == nullptr || extra) {
    return Invalid(
        "Dataframe split format must have 'data' field and optionally 'columns' and 'index' "
        "fields. Got {" +
        keys + "}.");
  }
  const JsonValue* data = split.Find("data");
  const JsonValue* columns = split.Find("columns");
  if (!data->is_array()) return NotSplit("data must be a list of rows");
  if (columns != nullptr && !columns->is_array()) return NotSplit("columns must be a list");
  size_t width = columns != nullptr ? columns->items().size()
                 : data->items().empty() || !data->items()[0].is_array()
                     ? 0
                     : data->items()[0].items().size();
  for (size_t i = 0; i < data->items().size(); ++i) {
    const JsonValue& row = data->items()[i];
    if (!row.is_array() || row.items().size() != width) {
      return NotSplit(std::to_string(width) + " columns passed, row " + std::to_string(i) +
                      " is not a list of " + std::to_string(width) + " values");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckRecords(const JsonValue& records) {
  if (!records.is_array()) {
    return Invalid("Dataframe records format must be a list of records. Got " +
                   TypeWord(records, "list") + ".");
  }
  for (size_t i = 0; i < records.items().size(); ++i) {
    if (!records.items()[i].is_object()) {
      return Invalid(
          "Provided dataframe_records field is not a valid dataframe representation in "
          "'records' format. Error: 'row " +
          std::to_string(i) + " is not an object'");
    }
  }
  return absl::OkStatus();
}

JsonValue StringList(std::vector<std::string>& fields) {
  JsonValue list = JsonValue::Array();
  list.mutable_items().reserve(fields.size());
  for (std::string& f : fields) list.mutable_items().push_back(JsonValue::String(std::move(f)));
  return list;
}

std::vector<std::string> Positions(size_t n) {
  std::vector<std::string> names;
  for (size_t j = 0; j < n; ++j) names.push_back(std::to_string(j));
  return names;
}

}  // namespace

absl::StatusOr<ScoringTable> ScoringTable::FromJson(const JsonValue& root) {
  if (!root.is_object()) return BadRequest(FormatKeysError(root));
  const JsonValue* found = nullptr;
  std::string_view format;
  int count = 0;
  for (std::string_view f : kFormats) {
    if (const JsonValue* v = root.Find(f)) {
      found = v;
      format = f;
      ++count;
    }
  }
  if (count != 1) return BadRequest(FormatKeysError(root));
  std::optional<ScoringTable> table;
  if (format == "dataframe_split") {
    RETURN_IF_ERROR(CheckSplit(*found));
    table = ScoringTable(Kind::kSplit, format, found->Find("data"), found->Find("columns"));
  } else if (format == "dataframe_records") {
    RETURN_IF_ERROR(CheckRecords(*found));
    table = ScoringTable(Kind::kRecords, format, found, nullptr);
  } else if (found->is_object()) {
    table = ScoringTable(Kind::kColumnar, format, nullptr, found);
  } else if (!found->is_array()) {
    return Invalid(std::string(format) + " must be a list of rows or an object of columns");
  } else {
    bool dicts = !found->items().empty() && found->items()[0].is_object();
    if (dicts) RETURN_IF_ERROR(CheckRecords(*found));
    table = ScoringTable(dicts ? Kind::kRecords : Kind::kRows, format, found, nullptr);
  }
  table->NameColumns();
  return *std::move(table);
}

absl::StatusOr<ScoringTable> ScoringTable::FromCsv(std::string_view csv, JsonValue& storage) {
  CsvReader reader(csv, "CSV input");
  ASSIGN_OR_RETURN(std::vector<std::string> fields, reader.Header());
  size_t width = fields.size();
  storage = JsonValue::Object();
  storage.mutable_members().emplace_back("columns", StringList(fields));
  JsonValue data = JsonValue::Array();
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader.NextRow(fields, width));
    if (!more) break;
    data.mutable_items().push_back(StringList(fields));
  }
  storage.mutable_members().emplace_back("data", std::move(data));
  ScoringTable table(Kind::kSplit, "csv", &storage.members()[1].second,
                     &storage.members()[0].second);
  table.NameColumns();
  return table;
}

void ScoringTable::NameColumns() {
  switch (kind_) {
    case Kind::kSplit:
      if (columns_ == nullptr) {
        bool any = !rows_->items().empty();
        names_ = Positions(any ? rows_->items()[0].items().size() : 0);
        return;
      }
      for (const JsonValue& c : columns_->items()) {
        names_.push_back(c.is_string() ? c.as_string() : ToJsonString(c));
      }
      return;
    case Kind::kColumnar:
      for (const auto& [k, v] : columns_->members()) names_.push_back(k);
      return;
    case Kind::kRecords: {
      std::set<std::string_view> seen;
      for (const JsonValue& row : rows_->items()) {
        for (const auto& [k, v] : row.members()) {
          if (seen.insert(k).second) names_.push_back(k);
        }
      }
      return;
    }
    case Kind::kRows: {
      bool lists = !rows_->items().empty() && rows_->items()[0].is_array();
      names_ = Positions(lists ? rows_->items()[0].items().size() : 1);
      return;
    }
  }
}

std::optional<size_t> ScoringTable::ColumnIndex(std::string_view name) const {
  for (size_t j = 0; j < names_.size(); ++j) {
    if (names_[j] == name) return j;
  }
  return std::nullopt;
}

const std::vector<JsonValue>* ScoringTable::PlainRows() const {
  return kind_ == Kind::kRows ? &rows_->items() : nullptr;
}

absl::StatusOr<std::vector<const JsonValue*>> ScoringTable::SplitColumn(std::string_view name,
                                                                        size_t pos,
                                                                        size_t width) const {
  size_t index = pos;
  if (columns_ != nullptr) {
    std::optional<size_t> found = ColumnIndex(name);
    if (!found) return Invalid("missing column '" + std::string(name) + "'");
    index = *found;
  } else if (names_.size() != width) {
    return Invalid("the rows hold " + std::to_string(names_.size()) + " values, the model takes " +
                   std::to_string(width));
  }
  std::vector<const JsonValue*> cells;
  cells.reserve(rows_->items().size());
  for (const JsonValue& row : rows_->items()) cells.push_back(&row.items()[index]);
  return cells;
}

absl::StatusOr<std::vector<const JsonValue*>> ScoringTable::Column(std::string_view name,
                                                                   size_t pos, size_t width) const {
  std::vector<const JsonValue*> cells;
  switch (kind_) {
    case Kind::kSplit:
      return SplitColumn(name, pos, width);
    case Kind::kColumnar: {
      const JsonValue* v = columns_->Find(name);
      if (v == nullptr) return Invalid("missing input '" + std::string(name) + "'");
      if (!v->is_array()) return std::vector<const JsonValue*>{v};
      for (const JsonValue& item : v->items()) cells.push_back(&item);
      return cells;
    }
    case Kind::kRecords:
      cells.reserve(rows_->items().size());
      for (const JsonValue& row : rows_->items()) cells.push_back(row.Find(name));
      return cells;
    case Kind::kRows:
      cells.reserve(rows_->items().size());
      for (size_t i = 0; i < rows_->items().size(); ++i) {
        const JsonValue& row = rows_->items()[i];
        if (!row.is_array() && width == 1) {
          cells.push_back(&row);  // a list of scalars is one column
          continue;
        }
        if (!row.is_array() || row.items().size() != width) {
          return Invalid("row " + std::to_string(i) + " must be a list of " +
                         std::to_string(width) + " values");
        }
        cells.push_back(&row.items()[pos]);
      }
      return cells;
  }
  return cells;
}

}  // namespace ferry::http
