#pragma once
// Every run a search matches, as one CSV file: the export behind the web UI's "CSV" button
// (GET /api/ferry/v1/runs/export.csv), not limited to the rows a page has loaded.
//
// Columns: run_id, run_name, experiment_id, status, user_id, start_time, end_time (ms), then
// params.KEY, metrics.KEY (the latest value) and tags.KEY for every key any matching run
// has, sorted. Fields are quoted as RFC 4180 asks (a field holding a comma, a quote or a line
// break is quoted, quotes doubled). Rows in the search's order.

#include <cstdint>

#include "common/status.h"
#include "tracking/tracking_service.h"

namespace ferry::tracking {

// Writes to `fd` (two passes over the search, 1,000 runs a page: the keys, then the rows);
// returns the bytes written. The search's own errors (a bad filter) come back unchanged.
absl::StatusOr<int64_t> ExportRunsCsv(TrackingService& tracking, SearchRunsRequest query, int fd);

// One CSV field, quoted when it must be, a spreadsheet formula neutralised with a leading '.
std::string CsvField(std::string_view value);

}  // namespace ferry::tracking
