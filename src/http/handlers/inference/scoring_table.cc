#include "http/handlers/inference/scoring_table.h"

#include <array>
#include <string>

#include "common/csv.h"

namespace ferry::http {
namespace {

absl::Status Invalid(std::string message) { return absl::InvalidArgumentError(message); }

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

constexpr std::array<std::string_view, 4> kFormats = {"dataframe_split", "dataframe_records",
                                                      "instances", "inputs"};

std::string FormatKeysError(const JsonValue& root) {
  std::string keys;
  for (const auto& [k, v] : root.members()) {
    if (!keys.empty()) keys += ", ";
    keys += "'" + k + "'";
  }
  return "The input must be a JSON dictionary with exactly one of the input fields "
         "{'dataframe_split', 'dataframe_records', 'instances', 'inputs'}. Received dictionary "
         "with input fields: [" +
         keys + "]";
}

JsonValue StringList(std::vector<std::string>& fields) {
  JsonValue list = JsonValue::Array();
  list.mutable_items().reserve(fields.size());
  for (std::string& f : fields) list.mutable_items().push_back(JsonValue::String(std::move(f)));
  return list;
}

}  // namespace

absl::StatusOr<ScoringTable> ScoringTable::FromJson(const JsonValue& root) {
  if (!root.is_object()) return Invalid(FormatKeysError(JsonValue::Object()));
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
  if (count != 1) return Invalid(FormatKeysError(root));
  if (const JsonValue* params = root.Find("params"); params && !params->is_object()) {
    return Invalid("\"params\" must be a JSON object");
  }
  if (format == "dataframe_split") {
    if (!found->is_object()) return Invalid("dataframe_split must be an object");
    const JsonValue* data = found->Find("data");
    if (data == nullptr || !data->is_array()) {
      return Invalid("dataframe_split needs \"data\": a list of rows");
    }
    const JsonValue* columns = found->Find("columns");
    if (columns != nullptr && !columns->is_array()) {
      return Invalid("dataframe_split \"columns\" must be a list");
    }
    return ScoringTable(Kind::kSplit, data, columns);
  }
  if (format == "dataframe_records") {
    if (!found->is_array()) return Invalid("dataframe_records must be a list of objects");
    return ScoringTable(Kind::kRecords, found, nullptr);
  }
  if (found->is_object()) {
    if (format == "instances") return Invalid("instances must be a list");
    return ScoringTable(Kind::kColumnar, nullptr, found);
  }
  if (!found->is_array()) return Invalid(std::string(format) + " must be a list");
  bool dicts = !found->items().empty() && found->items()[0].is_object();
  return ScoringTable(dicts ? Kind::kRecords : Kind::kRows, found, nullptr);
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
  ScoringTable table(Kind::kSplit, &storage.members()[1].second, &storage.members()[0].second);
  table.from_csv_ = true;
  return table;
}

const std::vector<JsonValue>* ScoringTable::PlainRows() const {
  return kind_ == Kind::kRows ? &rows_->items() : nullptr;
}

absl::StatusOr<std::vector<const JsonValue*>> ScoringTable::SplitColumn(std::string_view name,
                                                                        size_t pos,
                                                                        size_t width) const {
  size_t index = pos;
  if (columns_ != nullptr) {
    width = columns_->items().size();
    index = width;
    for (size_t j = 0; j < width; ++j) {
      const JsonValue& c = columns_->items()[j];
      if (c.is_string() && c.as_string() == name) index = j;
    }
    if (index == width) return Invalid("missing column " + Quoted(name));
  }
  std::vector<const JsonValue*> cells;
  cells.reserve(rows_->items().size());
  for (size_t i = 0; i < rows_->items().size(); ++i) {
    const JsonValue& row = rows_->items()[i];
    if (!row.is_array() || row.items().size() != width) {
      return Invalid("dataframe_split row " + std::to_string(i) + " must be a list of " +
                     std::to_string(width) + " values");
    }
    cells.push_back(&row.items()[index]);
  }
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
      if (v == nullptr) return Invalid("missing input " + Quoted(name));
      if (!v->is_array()) return Invalid("input " + Quoted(name) + " must be a list of values");
      for (const JsonValue& item : v->items()) cells.push_back(&item);
      return cells;
    }
    case Kind::kRecords:
      cells.reserve(rows_->items().size());
      for (size_t i = 0; i < rows_->items().size(); ++i) {
        const JsonValue& row = rows_->items()[i];
        if (!row.is_object()) return Invalid("row " + std::to_string(i) + " must be an object");
        const JsonValue* cell = row.Find(name);
        if (cell == nullptr) {
          return Invalid("missing column " + Quoted(name) + " in row " + std::to_string(i));
        }
        cells.push_back(cell);
      }
      return cells;
    case Kind::kRows:
      cells.reserve(rows_->items().size());
      for (size_t i = 0; i < rows_->items().size(); ++i) {
        const JsonValue& row = rows_->items()[i];
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
