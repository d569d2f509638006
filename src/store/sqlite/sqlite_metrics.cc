// SqliteStore: LogBatch (params, metrics, tags in one transaction) and metric history.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "store/sqlite/sqlite_internal.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

// A metric as stored: NaN becomes (0, is_nan), +-Inf is clamped to +-DBL_MAX (as MLflow's SQL
// store does), so every stored value is finite and non-NULL.
struct StoredMetric {
  const Metric* metric;
  double value;
  bool is_nan;
};

StoredMetric ToStored(const Metric& m) {
  if (std::isnan(m.value)) return {&m, 0.0, true};
  constexpr double kMax = std::numeric_limits<double>::max();
  return {&m, std::clamp(m.value, -kMax, kMax), false};
}

// MLflow's "latest" rule: max step, then max timestamp, then max (stored) value.
bool IsNewer(const StoredMetric& a, const StoredMetric& b) {
  return std::tie(a.metric->step, a.metric->timestamp, a.value) >
         std::tie(b.metric->step, b.metric->timestamp, b.value);
}

absl::Status CheckParamKeysUnique(const std::vector<Param>& params) {
  std::unordered_map<std::string_view, std::string_view> seen;
  for (const Param& p : params) {
    auto [it, inserted] = seen.emplace(p.key, p.value);
    if (!inserted && it->second != p.value) {
      return absl::InvalidArgumentError(
          "Duplicate parameter keys have been submitted: ['" + p.key +
          "']. Please ensure the request contains only one param value per param key.");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckStoredParam(Connection& conn, const std::string& run_id, const Param& p) {
  ASSIGN_OR_RETURN(Statement st,
                   conn.Prepare("SELECT value FROM params WHERE run_uuid = ? AND key = ?"));
  st.BindText(run_id).BindText(p.key);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.Text(0) == p.value) return absl::OkStatus();
  return absl::InvalidArgumentError("Changing param values is not allowed. Param with key='" +
                                    p.key + "' was already logged with value='" + st.Text(0) +
                                    "' for run ID='" + run_id + "'. Attempted logging new value '" +
                                    p.value + "'.");
}

absl::Status WriteParams(Connection& conn, const std::string& run_id,
                         const std::vector<Param>& params) {
  if (params.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(CheckParamKeysUnique(params));
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("INSERT INTO params (run_uuid, key, value) "
                                              "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"));
  for (const Param& p : params) {
    RETURN_IF_ERROR(st.Reset().BindText(run_id).BindText(p.key).BindText(p.value).Run());
    if (conn.Changes() == 0) RETURN_IF_ERROR(CheckStoredParam(conn, run_id, p));
  }
  return absl::OkStatus();
}

// One upsert per distinct key; the WHERE keeps a stored value that is newer than the batch's.
absl::Status UpdateLatestMetrics(Connection& conn, const std::string& run_id,
                                 const std::unordered_map<std::string_view, StoredMetric>& latest) {
  ASSIGN_OR_RETURN(
      Statement st,
      conn.Prepare("INSERT INTO latest_metrics (run_uuid, key, value, timestamp, step, is_nan) "
                   "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_uuid, key) DO UPDATE SET "
                   "value = excluded.value, timestamp = excluded.timestamp, "
                   "step = excluded.step, is_nan = excluded.is_nan "
                   "WHERE (excluded.step, excluded.timestamp, excluded.value) > "
                   "(latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)"));
  for (const auto& [key, s] : latest) {
    RETURN_IF_ERROR(st.Reset()
                        .BindText(run_id)
                        .BindText(key)
                        .BindDouble(s.value)
                        .BindInt(s.metric->timestamp)
                        .BindInt(s.metric->step)
                        .BindInt(s.is_nan)
                        .Run());
  }
  return absl::OkStatus();
}

// Appends history rows (identical rows are deduplicated by the primary key).
absl::Status WriteMetrics(Connection& conn, const std::string& run_id,
                          const std::vector<Metric>& metrics) {
  if (metrics.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("INSERT INTO metrics (run_uuid, key, timestamp, "
                                              "step, value, is_nan) VALUES (?, ?, ?, ?, ?, ?) "
                                              "ON CONFLICT DO NOTHING"));
  std::unordered_map<std::string_view, StoredMetric> latest;
  for (const Metric& m : metrics) {
    StoredMetric s = ToStored(m);
    RETURN_IF_ERROR(st.Reset()
                        .BindTextRef(run_id)
                        .BindTextRef(m.key)
                        .BindInt(m.timestamp)
                        .BindInt(m.step)
                        .BindDouble(s.value)
                        .BindInt(s.is_nan)
                        .Run());
    auto [it, inserted] = latest.emplace(m.key, s);
    if (!inserted && IsNewer(s, it->second)) it->second = s;
  }
  return UpdateLatestMetrics(conn, run_id, latest);
}

absl::Status WriteTags(Connection& conn, const std::string& run_id,
                       const std::vector<RunTag>& tags) {
  for (const RunTag& tag : tags) {
    RETURN_IF_ERROR(UpsertRunTag(conn, run_id, tag));
    if (tag.key != kRunNameTag) continue;
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("UPDATE runs SET name = ? WHERE run_uuid = ?"));
    RETURN_IF_ERROR(st.BindText(tag.value).BindText(run_id).Run());
  }
  return absl::OkStatus();
}

// Appends the points of one metric, ordered by (timestamp, step, value), to `out`; the
// primary key serves this order directly. `limit` < 0 means all rows.
absl::Status ReadMetricPoints(Connection& conn, const std::string& run_id, const std::string& key,
                              int64_t limit, int64_t offset, std::vector<Metric>& out) {
  // Reserving (address space only; pages are touched as rows arrive) spares a page of up to
  // 64k points the repeated growth of a multi-megabyte buffer.
  out.reserve(static_cast<size_t>(limit >= 0 ? std::min<int64_t>(limit, 1 << 16) : 1 << 12));
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT value, timestamp, step, is_nan FROM metrics "
                                              "WHERE run_uuid = ? AND key = ? "
                                              "ORDER BY timestamp, step, value LIMIT ? OFFSET ?"));
  st.BindText(run_id).BindText(key).BindInt(limit).BindInt(offset);
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::OkStatus();
    out.push_back({key, st.Int(3) ? kNaN : st.Double(0), st.Int(1), st.Int(2)});
  }
}

}  // namespace

absl::Status SqliteStore::LogBatch(const std::string& run_id, const std::vector<Metric>& metrics,
                                   const std::vector<Param>& params,
                                   const std::vector<RunTag>& tags) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(RunInfo info, sqlite::ReadRunInfo(conn, run_id));
    RETURN_IF_ERROR(sqlite::CheckRunActive(info));
    RETURN_IF_ERROR(sqlite::WriteParams(conn, run_id, params));
    RETURN_IF_ERROR(sqlite::WriteMetrics(conn, run_id, metrics));
    return sqlite::WriteTags(conn, run_id, tags);
  });
}

absl::StatusOr<Page<Metric>> SqliteStore::GetMetricHistory(const std::string& run_id,
                                                           const std::string& key,
                                                           int64_t max_results, int64_t offset) {
  if (offset < 0) {
    return absl::InvalidArgumentError("Invalid page offset " + std::to_string(offset));
  }
  // One row beyond the page tells whether another page follows; -1 means no limit.
  int64_t limit = max_results > 0 ? std::min<int64_t>(max_results, INT64_MAX - 1) + 1 : -1;
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<Page<Metric>> {
    Page<Metric> page;
    RETURN_IF_ERROR(sqlite::ReadMetricPoints(conn, run_id, key, limit, offset, page.items));
    TrimToPage(page.items, max_results, offset, page);
    return page;
  });
}

}  // namespace ferry::store::sqlite
