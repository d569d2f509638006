// LiveMonitoring's /metrics series. Label values: deployment names (the operator's), column
// names (the model's, at most kMaxGaugeColumns per deployment), fixed kinds and metrics.

#include "app/monitoring/live_monitoring.h"
#include "common/prometheus.h"

namespace ferry::app {
namespace {

std::string Label(std::string_view key, std::string_view value) {
  return std::string(key) + "=\"" + EscapeLabelValue(value) + "\"";
}

void Sample(std::string* out, std::string_view name, const std::string& labels, double v) {
  AppendSample(out, name, labels, FormatDouble(v));
}

}  // namespace

void LiveMonitoring::RenderMetrics(std::string* out) {
  AppendMetricHeader(out, "ferry_monitoring_records_dropped_total", "counter",
                     "Predictions not monitored because the monitoring queue was full.");
  Sample(out, "ferry_monitoring_records_dropped_total", "", static_cast<double>(dropped_.load()));
  struct Series {
    const char* name;
    const char* type;
    const char* help;
    std::string body;
  };
  Series s[] = {
      {"ferry_monitoring_rows_total", "counter", "Rows profiled by live monitoring.", ""},
      {"ferry_monitoring_window_rows", "gauge", "Rows in the open monitoring window.", ""},
      {"ferry_monitoring_windows_closed_total", "counter", "Monitoring windows closed.", ""},
      {"ferry_monitoring_drift_share", "gauge",
       "Share of drifted columns in the last closed window.", ""},
      {"ferry_monitoring_dataset_drift", "gauge", "1 when the last closed window drifted.", ""},
      {"ferry_monitoring_column_drift_statistic", "gauge",
       "Drift statistic per column in the last closed window (KS D or JS distance).", ""},
      {"ferry_monitoring_column_drift_detected", "gauge",
       "1 when the column drifted in the last closed window.", ""},
      {"ferry_monitoring_alert_active", "gauge", "1 while the alert is firing.", ""},
      {"ferry_monitoring_quality", "gauge",
       "Quality of the latest window with labels (accuracy, roc_auc, rmse, mae).", ""},
      {"ferry_monitoring_labels_total", "counter", "Labels posted, by how they matched.", ""},
  };
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, e] : entries_) {
    if (!e->monitor) continue;
    const std::string d = Label("deployment", name);
    const monitoring::MonitorState st = e->monitor->current_state();
    Sample(&s[0].body, s[0].name, d, static_cast<double>(st.rows_total));
    Sample(&s[1].body, s[1].name, d, static_cast<double>(st.open_window_rows));
    Sample(&s[2].body, s[2].name, d, static_cast<double>(st.windows_closed));
    if (st.last) {
      Sample(&s[3].body, s[3].name, d, st.last->drift_share);
      Sample(&s[4].body, s[4].name, d, st.last->dataset_drift ? 1 : 0);
      size_t n = 0;
      for (const monitoring::LiveColumnDrift& c : st.last->columns) {
        if (c.status != "ok" || n++ >= kMaxGaugeColumns) continue;
        const std::string l = d + "," + Label("column", c.name);
        Sample(&s[5].body, s[5].name, l, c.statistic);
        Sample(&s[6].body, s[6].name, l, c.drift_detected ? 1 : 0);
      }
    }
    const std::pair<const char*, bool> alerts[] = {{"data_drift", st.data_drift_firing},
                                                   {"prediction_drift", st.prediction_drift_firing},
                                                   {"quality", st.quality_firing},
                                                   {"bias", st.bias_firing}};
    for (const auto& [kind, firing] : alerts) {
      Sample(&s[7].body, s[7].name, d + "," + Label("kind", kind), firing ? 1 : 0);
    }
    if (const std::optional<monitoring::WindowQuality> w = e->monitor->LatestQuality()) {
      const std::pair<const char*, std::optional<double>> q[] = {
          {"accuracy", w->accuracy}, {"roc_auc", w->roc_auc}, {"rmse", w->rmse}, {"mae", w->mae}};
      for (const auto& [metric, v] : q) {
        if (v) Sample(&s[8].body, s[8].name, d + "," + Label("metric", metric), *v);
      }
    }
    const std::pair<const char*, uint64_t> labels[] = {{"matched", st.labels.matched},
                                                       {"unknown", st.labels.unknown_request_id},
                                                       {"duplicate", st.labels.duplicate},
                                                       {"late", st.labels.late}};
    for (const auto& [result, count] : labels) {
      Sample(&s[9].body, s[9].name, d + "," + Label("result", result), static_cast<double>(count));
    }
  }
  for (const Series& x : s) {
    if (x.body.empty()) continue;
    AppendMetricHeader(out, x.name, x.type, x.help);
    out->append(x.body);
  }
}

}  // namespace ferry::app
