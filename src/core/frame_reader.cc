#include "core/frame_reader.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "common/csv.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/strings.h"

namespace ferry {
namespace {

absl::Status ErrorAt(std::string_view source, size_t line, std::string_view what) {
  return absl::InvalidArgumentError(std::string(source) + ":" + std::to_string(line) + ": " +
                                    std::string(what));
}

absl::Status CheckHeader(const std::vector<std::string>& names, std::string_view source) {
  std::map<std::string_view, size_t> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) {
      return ErrorAt(source, 1, "column " + std::to_string(i + 1) + " has an empty name");
    }
    if (!seen.emplace(names[i], i).second) {
      return ErrorAt(source, 1, "duplicate column name \"" + names[i] + "\"");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<TextTable> ScanCsv(std::string_view text, std::string_view source, char delimiter) {
  CsvReader reader(text, source, delimiter);
  TextTable table;
  ASSIGN_OR_RETURN(table.names, reader.Header());
  RETURN_IF_ERROR(CheckHeader(table.names, source));
  table.cells.resize(table.names.size());
  std::vector<std::string> fields;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader.NextRow(fields, table.names.size()));
    if (!more) break;
    for (size_t c = 0; c < fields.size(); ++c) table.cells[c].push_back(std::move(fields[c]));
  }
  return table;
}

// JSON's own name for the kind of `v` (JsonValue::TypeName uses Python's).
std::string JsonKind(const JsonValue& v) {
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  if (v.is_string()) return "string";
  if (v.is_number()) return "number";
  if (v.is_bool()) return "boolean";
  return "null";
}

std::string NumberText(const JsonValue& v) {
  if (v.type() == JsonValue::Type::kInt) return std::to_string(v.as_int());
  if (v.type() == JsonValue::Type::kUint) return std::to_string(v.as_uint());
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), v.as_double());
  return std::string(buf, r.ptr);
}

absl::StatusOr<std::string> CellText(const JsonValue& v, std::string_view key,
                                     std::string_view source, size_t line) {
  if (v.is_null()) return std::string();
  if (v.is_number()) return NumberText(v);
  if (v.is_string()) return v.as_string();
  if (v.is_bool()) return std::string(v.as_bool() ? "true" : "false");
  return ErrorAt(source, line,
                 "key \"" + std::string(key) +
                     "\": expected a number, string, boolean or null, got " + JsonKind(v));
}

// Adds one parsed JSON object as row `row` of `table` (earlier rows padded with "").
absl::Status AddJsonRow(const JsonValue& obj, size_t row, std::map<std::string, size_t>& index,
                        TextTable& table, std::string_view source, size_t line) {
  for (const auto& [key, value] : obj.members()) {
    auto [it, added] = index.emplace(key, table.names.size());
    if (added) {
      if (key.empty()) return ErrorAt(source, line, "empty key");
      table.names.push_back(key);
      table.cells.emplace_back(row, std::string());
    }
    auto& column = table.cells[it->second];
    if (column.size() > row) return ErrorAt(source, line, "duplicate key \"" + key + "\"");
    ASSIGN_OR_RETURN(std::string text, CellText(value, key, source, line));
    column.push_back(std::move(text));
  }
  for (auto& column : table.cells) column.resize(row + 1);
  return absl::OkStatus();
}

absl::StatusOr<TextTable> ScanJsonLines(std::string_view text, std::string_view source) {
  TextTable table;
  std::map<std::string, size_t> index;
  size_t row = 0, line = 0, pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view body = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (body.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto parsed = ParseJson(body);
    if (!parsed.ok()) {
      return ErrorAt(source, line, "invalid JSON: " + std::string(StatusMessage(parsed.status())));
    }
    if (!parsed->is_object()) {
      return ErrorAt(source, line, "expected a JSON object, got " + JsonKind(*parsed));
    }
    RETURN_IF_ERROR(AddJsonRow(*parsed, row, index, table, source, line));
    ++row;
  }
  if (table.names.empty()) {
    return absl::InvalidArgumentError(std::string(source) + ": no rows with any keys");
  }
  return table;
}

// Parses a cell as a number; nullopt when it is not one. Empty cells are NaN.
std::optional<double> CellNumber(const std::string& cell) {
  if (cell.empty()) return std::numeric_limits<double>::quiet_NaN();
  return ParseDouble(cell);
}

Column TypeColumn(std::string name, std::vector<std::string> cells) {
  Column column;
  column.name = std::move(name);
  std::vector<double> numbers;
  numbers.reserve(cells.size());
  for (const std::string& cell : cells) {
    std::optional<double> v = CellNumber(cell);
    if (!v) {
      column.numeric = false;
      column.strings = std::move(cells);
      return column;
    }
    numbers.push_back(*v);
  }
  column.numbers = std::move(numbers);
  return column;
}

}  // namespace

Frame FrameFromText(TextTable table) {
  Frame frame;
  frame.columns.reserve(table.names.size());
  for (size_t c = 0; c < table.names.size(); ++c) {
    frame.columns.push_back(TypeColumn(std::move(table.names[c]), std::move(table.cells[c])));
  }
  return frame;
}

DataFormat DetectFormat(std::string_view path, std::string_view head) {
  std::string lower = ToLower(path);
  for (std::string_view ext : {".jsonl", ".ndjson", ".json"}) {
    if (EndsWith(lower, ext)) return DataFormat::kJsonLines;
  }
  if (EndsWith(lower, ".csv")) return DataFormat::kCsv;
  if (EndsWith(lower, ".tsv") || EndsWith(lower, ".tab")) return DataFormat::kTsv;
  size_t first = head.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && head[first] == '{') return DataFormat::kJsonLines;
  return DataFormat::kCsv;
}

absl::StatusOr<Frame> ReadFrame(const std::string& path) {
  ASSIGN_OR_RETURN(TextTable table, ReadTextTable(path));
  return FrameFromText(std::move(table));
}

absl::StatusOr<Frame> ReadFrameFromString(std::string_view text, DataFormat format,
                                          std::string_view source) {
  ASSIGN_OR_RETURN(TextTable table, ReadTextTableFromString(text, format, source));
  return FrameFromText(std::move(table));
}

absl::StatusOr<TextTable> ReadTextTable(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ReadTextTableFromString(text, DetectFormat(path, text), path);
}

absl::StatusOr<TextTable> ReadTextTableFromString(std::string_view text, DataFormat format,
                                                  std::string_view source) {
  if (format == DataFormat::kCsv || format == DataFormat::kTsv) {
    return ScanCsv(text, source, format == DataFormat::kTsv ? '\t' : ',');
  }
  if (StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  return ScanJsonLines(text, source);
}

}  // namespace ferry
