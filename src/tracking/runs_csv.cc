#include "tracking/runs_csv.h"

#include <cstdio>
#include <functional>
#include <set>

#include "common/fs.h"
#include "common/strings.h"

namespace ferry::tracking {
namespace {

constexpr int64_t kPage = 1000;

// Calls `each` for every run of every page of the search.
absl::Status ForEachRun(TrackingService& t, SearchRunsRequest q,
                        const std::function<absl::Status(const Run&)>& each) {
  q.max_results = kPage;
  q.page_token.clear();
  do {
    ASSIGN_OR_RETURN(SearchResult<Run> page, t.SearchRuns(q));
    for (const Run& run : page.items) RETURN_IF_ERROR(each(run));
    q.page_token = page.next_page_token;
  } while (!q.page_token.empty());
  return absl::OkStatus();
}

struct Keys {
  std::set<std::string> params, metrics, tags;
};

template <typename T>
const T* Find(const std::vector<T>& items, const std::string& key) {
  for (const T& item : items) {
    if (item.key == key) return &item;
  }
  return nullptr;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string Row(const Run& run, const Keys& keys) {
  const RunInfo& i = run.info;
  std::string row = CsvField(i.run_id) + ',' + CsvField(i.run_name) + ',' +
                    CsvField(i.experiment_id) + ',' + RunStatusName(i.status) + ',' +
                    CsvField(i.user_id) + ',' + std::to_string(i.start_time) + ',' +
                    (i.end_time ? std::to_string(*i.end_time) : "");
  for (const std::string& k : keys.params) {
    const Param* p = Find(run.data.params, k);
    row += ',' + (p ? CsvField(p->value) : "");
  }
  for (const std::string& k : keys.metrics) {
    const Metric* m = Find(run.data.metrics, k);
    row += ',' + (m ? Number(m->value) : "");
  }
  for (const std::string& k : keys.tags) {
    const RunTag* t = Find(run.data.tags, k);
    row += ',' + (t ? CsvField(t->value) : "");
  }
  return row + "\r\n";
}

}  // namespace

std::string CsvField(std::string_view value) {
  // A cell a spreadsheet would run as a formula (=, +, -, @, tab or CR first: a run name or
  // tag anyone with EDIT can set) gets a leading ' (OWASP's CSV injection advice); numbers
  // such as -0.5 stay as they are.
  const bool formula = !value.empty() &&
                       std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos &&
                       !ParseDouble(value).has_value();
  if (!formula && value.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(value);
  }
  std::string out = formula ? "\"'" : "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

absl::StatusOr<int64_t> ExportRunsCsv(TrackingService& tracking, SearchRunsRequest query, int fd) {
  Keys keys;
  RETURN_IF_ERROR(ForEachRun(tracking, query, [&](const Run& run) {
    for (const Param& p : run.data.params) keys.params.insert(p.key);
    for (const Metric& m : run.data.metrics) keys.metrics.insert(m.key);
    for (const RunTag& t : run.data.tags) keys.tags.insert(t.key);
    return absl::OkStatus();
  }));
  std::string header = "run_id,run_name,experiment_id,status,user_id,start_time,end_time";
  for (const auto& [prefix, set] :
       {std::pair("params.", &keys.params), std::pair("metrics.", &keys.metrics),
        std::pair("tags.", &keys.tags)}) {
    for (const std::string& k : *set) header += ',' + CsvField(prefix + k);
  }
  header += "\r\n";
  int64_t written = header.size();
  RETURN_IF_ERROR(WriteAll(fd, header, "runs.csv"));
  std::string buffer;
  RETURN_IF_ERROR(ForEachRun(tracking, query, [&](const Run& run) {
    buffer += Row(run, keys);
    if (buffer.size() < (1 << 16)) return absl::OkStatus();
    written += buffer.size();
    absl::Status s = WriteAll(fd, buffer, "runs.csv");
    buffer.clear();
    return s;
  }));
  written += buffer.size();
  RETURN_IF_ERROR(WriteAll(fd, buffer, "runs.csv"));
  return written;
}

}  // namespace ferry::tracking
