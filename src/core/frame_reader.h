#pragma once
// Reads data files into a Frame: CSV (RFC 4180), TSV or JSON lines. Used by training, the
// runtime families and monitoring.
//
// CSV (common/csv.h): the first record is the header (required; names must be non-empty and
// distinct). Fields may be quoted ("a, b"), quotes inside quoted fields are doubled
// ("say ""hi"""), quoted fields may span lines, and records end in LF or CRLF. Blank lines are
// skipped, so a one-column file cannot express a missing value on its own line.
//
// TSV: the same reader with tab as the delimiter (quoting rules unchanged, so a field holding
// a tab or a newline is quoted).
//
// JSON lines: one JSON object per line (blank lines skipped). The columns are the union of
// the keys in order of first appearance; a key absent from a row, or null, is missing.
// Values must be numbers, strings or booleans (written as "true"/"false").
//
// Types: a column is numeric when every non-empty value parses fully as a double (strtod
// syntax, no surrounding spaces), otherwise text. Missing values are NaN in numeric columns
// and "" in text columns. Errors are kInvalidArgument naming the file and line (and column
// for quoting errors): `data.csv:17: expected 31 fields, got 30`.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/frame.h"

namespace ferry {

enum class DataFormat { kCsv, kTsv, kJsonLines };

// The format of `path`: JSON lines for .jsonl, .ndjson and .json (any case), CSV for .csv,
// TSV for .tsv and .tab; otherwise JSON lines when the first non-space byte of `head` (the start of
// the file) is
// '{', else CSV.
DataFormat DetectFormat(std::string_view path, std::string_view head);

// Reads the whole file at `path`. kNotFound when it does not exist; kInvalidArgument for
// malformed content (see above) or a file with no header / no columns.
absl::StatusOr<Frame> ReadFrame(const std::string& path);

// Parses `text` in `format`; `source` names it in error messages.
absl::StatusOr<Frame> ReadFrameFromString(std::string_view text, DataFormat format,
                                          std::string_view source = "<string>");

// The cells as read, before typing: what Frame's types hide (an empty cell and "nan" are both
// NaN in a Frame; 3 and 3.0 are both 3). JSON values are written as text: null and absent
// keys as "", booleans as "true"/"false", numbers in their shortest round-trip form.
struct TextTable {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> cells;  // [column][row]

  size_t rows() const { return cells.empty() ? 0 : cells[0].size(); }
};

// As ReadFrame and ReadFrameFromString (same formats and errors), without the typing.
absl::StatusOr<TextTable> ReadTextTable(const std::string& path);
absl::StatusOr<TextTable> ReadTextTableFromString(std::string_view text, DataFormat format,
                                                  std::string_view source = "<string>");
// Types the cells of `table` as ReadFrame does.
Frame FrameFromText(TextTable table);

}  // namespace ferry
