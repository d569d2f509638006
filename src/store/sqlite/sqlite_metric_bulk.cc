// SqliteStore: the metric queries behind MLflow's UI routes (metrics/get-history-bulk and
// metrics/get-history-bulk-interval) and Ferry's charts (extremes, points after a step). Lists
// of run ids and steps are bound as one JSON array and read back with json_each, so a request
// needs one statement whatever its size.

#include <limits>
#include <string>
#include <vector>

#include "common/json_writer.h"
#include "store/sqlite/sqlite_internal.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string JsonStrings(const std::vector<std::string>& items) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  for (const auto& s : items) w.String(s);
  w.EndArray();
  return out;
}

std::string JsonInts(const std::vector<int64_t>& items) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  for (int64_t v : items) w.Int(v);
  w.EndArray();
  return out;
}

}  // namespace

absl::StatusOr<std::vector<MetricWithRunId>> SqliteStore::GetMetricHistoryBulk(
    const std::vector<std::string>& run_ids, const std::string& key, int64_t limit) {
  const std::string ids = JsonStrings(run_ids);
  return InReadTransaction(
      [&](sqlite::Connection& conn) -> absl::StatusOr<std::vector<MetricWithRunId>> {
        ASSIGN_OR_RETURN(Statement st,
                         conn.Prepare("SELECT run_uuid, value, timestamp, step, is_nan "
                                      "FROM metrics WHERE key = ? AND run_uuid IN "
                                      "(SELECT value FROM json_each(?)) "
                                      "ORDER BY run_uuid, timestamp, step, value LIMIT ?"));
        st.BindText(key).BindText(ids).BindInt(limit < 0 ? -1 : limit);
        std::vector<MetricWithRunId> out;
        while (true) {
          ASSIGN_OR_RETURN(bool row, st.Step());
          if (!row) return out;
          out.push_back({st.Text(0), {key, st.Int(4) ? kNaN : st.Double(1), st.Int(2), st.Int(3)}});
        }
      });
}

absl::StatusOr<std::vector<MetricExtremes>> SqliteStore::GetMetricExtremes(
    const std::vector<std::string>& run_ids, const std::vector<std::string>& keys) {
  const std::string ids = JsonStrings(run_ids), names = JsonStrings(keys);
  return InReadTransaction(
      [&](sqlite::Connection& conn) -> absl::StatusOr<std::vector<MetricExtremes>> {
        ASSIGN_OR_RETURN(Statement st,
                         conn.Prepare("SELECT run_uuid, key, MIN(value), MAX(value) FROM metrics "
                                      "WHERE is_nan = 0 AND run_uuid IN "
                                      "(SELECT value FROM json_each(?)) AND key IN "
                                      "(SELECT value FROM json_each(?)) "
                                      "GROUP BY run_uuid, key ORDER BY run_uuid, key"));
        st.BindText(ids).BindText(names);
        std::vector<MetricExtremes> out;
        while (true) {
          ASSIGN_OR_RETURN(bool row, st.Step());
          if (!row) return out;
          out.push_back({st.Text(0), st.Text(1), st.Double(2), st.Double(3)});
        }
      });
}

const char kMetricsAfterStepSql[] =
    "SELECT value, timestamp, step, is_nan FROM metrics "
    "WHERE run_uuid = ? AND key = ? AND step > ? ORDER BY step, timestamp, value LIMIT ?";

absl::StatusOr<std::vector<Metric>> SqliteStore::GetMetricsAfterStep(const std::string& run_id,
                                                                     const std::string& key,
                                                                     int64_t after_step,
                                                                     int64_t limit) {
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<std::vector<Metric>> {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare(kMetricsAfterStepSql));
    st.BindText(run_id).BindText(key).BindInt(after_step).BindInt(limit < 0 ? -1 : limit);
    std::vector<Metric> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      out.push_back({key, st.Int(3) ? kNaN : st.Double(0), st.Int(1), st.Int(2)});
    }
  });
}

absl::StatusOr<std::vector<int64_t>> SqliteStore::GetMetricSteps(const std::string& run_id,
                                                                 const std::string& key) {
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<std::vector<int64_t>> {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT DISTINCT step FROM metrics "
                                                "WHERE run_uuid = ? AND key = ? ORDER BY step"));
    st.BindText(run_id).BindText(key);
    std::vector<int64_t> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      out.push_back(st.Int(0));
    }
  });
}

absl::StatusOr<std::vector<Metric>> SqliteStore::GetMetricsAtSteps(
    const std::string& run_id, const std::string& key, const std::vector<int64_t>& steps,
    int64_t limit) {
  const std::string wanted = JsonInts(steps);
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<std::vector<Metric>> {
    ASSIGN_OR_RETURN(Statement st,
                     conn.Prepare("SELECT value, timestamp, step, is_nan FROM metrics "
                                  "WHERE run_uuid = ? AND key = ? AND step IN "
                                  "(SELECT value FROM json_each(?)) "
                                  "ORDER BY step, timestamp, value LIMIT ?"));
    st.BindText(run_id).BindText(key).BindText(wanted).BindInt(limit < 0 ? -1 : limit);
    std::vector<Metric> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      out.push_back({key, st.Int(3) ? kNaN : st.Double(0), st.Int(1), st.Int(2)});
    }
  });
}

}  // namespace ferry::store::sqlite
