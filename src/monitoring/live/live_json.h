#pragma once
// JSON rendering of live monitoring results, one object each, with the stable field names
// documented in docs/MONITORING.md ("Live monitoring: windows, alerts, labels"). No trailing
// newline. Absent values are null; numbers are finite.

#include <string>
#include <vector>

#include "monitoring/live/live_types.h"

namespace ferry::monitoring {

std::string WindowResultJson(const WindowResult& window);
std::string AlertEventJson(const AlertEvent& event);
std::string LabelCountsJson(const LabelCounts& counts);
// {"deployment", "windows_closed", "open_window_rows", "rows_total", "rejected_rows",
//  "pending_labels", "alerts": {kind: bool}, "labels": {...}, "last_window": {...}|null}
std::string MonitorStateJson(const std::string& deployment, const MonitorState& state);
// {"deployment": ..., "windows": [WindowResultJson...]}
std::string WindowsJson(const std::string& deployment, const std::vector<WindowResult>& windows);

}  // namespace ferry::monitoring
