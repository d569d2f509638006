#include "common/csv.h"

namespace ferry {

CsvReader::CsvReader(std::string_view text, std::string_view source, char delimiter)
    : text_(text), source_(source), delimiter_(delimiter) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = 3;  // UTF-8 byte order mark
}

absl::StatusOr<bool> CsvReader::Next(std::vector<std::string>& fields) {
  while (pos_ < text_.size() && AtLineEnd()) SkipLineEnd();
  fields.clear();
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;
  while (true) {
    std::string field;
    RETURN_IF_ERROR(ReadField(field));
    fields.push_back(std::move(field));
    if (pos_ >= text_.size()) return true;
    if (text_[pos_] != delimiter_) {
      SkipLineEnd();  // ReadField stops only at the delimiter, a line end or the end of the input
      return true;
    }
    ++pos_;
  }
}

absl::StatusOr<bool> CsvReader::NextRow(std::vector<std::string>& fields, size_t width) {
  ASSIGN_OR_RETURN(bool more, Next(fields));
  if (more && fields.size() != width) {
    return RecordError("expected " + std::to_string(width) + " fields, got " +
                       std::to_string(fields.size()));
  }
  return more;
}

absl::StatusOr<std::vector<std::string>> CsvReader::Header() {
  std::vector<std::string> names;
  ASSIGN_OR_RETURN(bool found, Next(names));
  if (!found) return absl::InvalidArgumentError(std::string(source_) + ": no header row");
  return names;
}

absl::Status CsvReader::RecordError(std::string_view what) const {
  return absl::InvalidArgumentError(std::string(source_) + ":" + std::to_string(record_line_) +
                                    ": " + std::string(what));
}

bool CsvReader::AtLineEnd() const {
  if (text_[pos_] == '\n') return true;
  return text_[pos_] == '\r' && (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n');
}

void CsvReader::SkipLineEnd() {
  pos_ += text_[pos_] == '\r' ? 2 : 1;
  if (pos_ > text_.size()) pos_ = text_.size();  // a lone CR ending the input
  ++line_;
  line_start_ = pos_;
}

absl::Status CsvReader::ErrorAt(size_t line, size_t column, std::string_view what) const {
  return absl::InvalidArgumentError(std::string(source_) + ":" + std::to_string(line) + ":" +
                                    std::to_string(column) + ": " + std::string(what));
}

absl::Status CsvReader::ReadField(std::string& out) {
  if (pos_ < text_.size() && text_[pos_] == '"') return ReadQuoted(out);
  size_t start = pos_;
  while (pos_ < text_.size() && text_[pos_] != delimiter_ && !AtLineEnd()) {
    if (text_[pos_] == '"') {
      return ErrorAt(line_, pos_ - line_start_ + 1, "quote inside an unquoted field");
    }
    ++pos_;
  }
  out.assign(text_.substr(start, pos_ - start));
  return absl::OkStatus();
}

absl::Status CsvReader::ReadQuoted(std::string& out) {
  size_t open_line = line_, open_column = pos_ - line_start_ + 1;
  ++pos_;
  while (true) {
    if (pos_ >= text_.size()) return ErrorAt(open_line, open_column, "unterminated quoted field");
    char c = text_[pos_++];
    if (c == '"') {
      if (pos_ >= text_.size() || text_[pos_] != '"') break;
      ++pos_;  // a doubled quote
    } else if (c == '\n') {
      ++line_;
      line_start_ = pos_;
    }
    out.push_back(c);
  }
  if (pos_ < text_.size() && text_[pos_] != delimiter_ && !AtLineEnd()) {
    return ErrorAt(line_, pos_ - line_start_ + 1, "unexpected character after a closing quote");
  }
  return absl::OkStatus();
}

void AppendCsvField(std::string& out, std::string_view field) {
  // A leading byte order mark is quoted so that a reader does not take it for the file's.
  if (field.find_first_of(",\"\r\n") == std::string_view::npos &&
      field.substr(0, 3) != "\xEF\xBB\xBF") {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields) {
  if (fields.size() == 1 && fields[0].empty()) {
    out += "\"\"\n";  // a bare empty line would read as a blank line
    return;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    AppendCsvField(out, fields[i]);
  }
  out += '\n';
}

}  // namespace ferry
