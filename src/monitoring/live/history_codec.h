#pragma once
// The one-line encoding of a deployment's monitoring history (history.h): JSON lines
//   {"v":1,"version":V,"window":WindowResultJson}   a closed (or relabelled) window
//   {"v":1,"version":V,"alert":AlertEventJson}      an alert transition
// with the field names of live_json.h, so a person can read the file. Decoding is strict on
// shape and tolerant of damage: ReplayHistory skips lines that do not decode (a torn last
// line after a kill) and counts them.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "monitoring/live/history.h"
#include "monitoring/live/live_types.h"

namespace ferry::monitoring {

inline constexpr int kHistoryFormatVersion = 1;

// One line each, without the newline.
std::string EncodeHistoryWindow(const std::string& version, const WindowResult& window);
std::string EncodeHistoryAlert(const std::string& version, const AlertEvent& alert);

// One decoded line: a window or an alert of model `version`.
struct HistoryRecord {
  std::string version;
  bool is_window = false;
  WindowResult window;
  AlertEvent alert;
};
// kInvalidArgument naming the field when the line is not a record.
absl::StatusOr<HistoryRecord> DecodeHistoryRecord(std::string_view line);

// The history of `version` in `text` (a whole history file), trimmed to `bounds`: per window
// index the last record, the last `bounds.windows` indices; the last `bounds.alerts` alerts.
// A last line without its newline is counted as skipped (a write the kill tore).
MonitorHistory ReplayHistory(std::string_view text, const std::string& version,
                             const HistoryBounds& bounds);

// `history` encoded as a whole file (each line ending in '\n').
std::string EncodeHistory(const std::string& version, const MonitorHistory& history);

}  // namespace ferry::monitoring
