#pragma once
// CSV as RFC 4180 writes it, read and written in one place (training data, the scoring
// protocol's text/csv, frames handed to external trainers).
//
// Reading: fields are separated by ',' (or the reader's delimiter: '\t' for TSV, quoted the
// same way) and records end in LF or CRLF (a CR at the very end of
// the input also ends the last record). A field may be quoted ("a, b"); inside quotes, '""' is
// a quote and commas, CR and LF are data, so a record can span lines. A leading UTF-8 byte
// order mark is skipped, and so are blank lines (a one-column file cannot express a missing
// value on its own line). Bad input is kInvalidArgument "<source>:<line>:<column>: <what>"
// (1-based): a quote inside an unquoted field, text after a closing quote, a quoted field
// without its closing quote. Any byte sequence gives a record or such an error, never a crash.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry {

class CsvReader {
 public:
  // `text` and `source` (the name used in errors) must outlive the reader. `delimiter`
  // separates fields (',' for CSV, '\t' for TSV); it must not be '"', CR or LF.
  CsvReader(std::string_view text, std::string_view source, char delimiter = ',');

  // Reads the next record that is not blank into `fields` (replacing them). Returns false at
  // the end of the input.
  absl::StatusOr<bool> Next(std::vector<std::string>& fields);
  // Next, and kInvalidArgument "<source>:<line>: expected <width> fields, got <n>" unless the
  // record has `width` fields.
  absl::StatusOr<bool> NextRow(std::vector<std::string>& fields, size_t width);
  // The first record, which must exist: kInvalidArgument "<source>: no header row" otherwise.
  absl::StatusOr<std::vector<std::string>> Header();

  // The line on which the last record read started (1-based).
  size_t record_line() const { return record_line_; }
  // kInvalidArgument "<source>:<record line>: <what>", for callers' checks of a record.
  absl::Status RecordError(std::string_view what) const;

 private:
  bool AtLineEnd() const;
  void SkipLineEnd();
  absl::Status ErrorAt(size_t line, size_t column, std::string_view what) const;
  absl::Status ReadField(std::string& out);
  absl::Status ReadQuoted(std::string& out);

  std::string_view text_;
  std::string_view source_;
  char delimiter_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t line_start_ = 0;
  size_t record_line_ = 0;
};

// Appends `field` to `out`, quoted when it holds a comma, quote, CR or LF or starts with a
// byte order mark (quotes doubled).
void AppendCsvField(std::string& out, std::string_view field);
// Appends the fields joined by ',' and a final '\n'.
void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields);

}  // namespace ferry
