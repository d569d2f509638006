// LiveMonitoring's answers to the monitoring endpoints (http/handlers/monitoring).

#include <algorithm>

#include "app/monitoring/live_monitoring.h"
#include "common/json_writer.h"
#include "monitoring/live/live_json.h"

namespace ferry::app {

absl::StatusOr<LiveMonitoring::EntryPtr> LiveMonitoring::Monitored(std::string_view deployment) {
  auto it = entries_.find(deployment);
  if (it == entries_.end()) {
    return absl::NotFoundError("deployment '" + std::string(deployment) +
                               "' is not served here (or has not loaded yet)");
  }
  if (!it->second->monitor) {
    return absl::NotFoundError("deployment '" + std::string(deployment) +
                               "' is not monitored: " + it->second->not_monitored);
  }
  return it->second;
}

namespace {

// "arms": {VERSION: {"labelled", "metric", "value", "quality"}}: quality from labels per
// served version; "quality" (higher is better: accuracy, or minus the RMSE) only from
// `min_labels` labelled rows on.
void WriteArms(JsonWriter& w, const monitoring::ArmQuality& arms, size_t min_labels) {
  w.Key("arms").BeginObject();
  for (const auto& [version, f] : arms.Figures()) {
    w.Key(version).BeginObject().Key("labelled").Int(static_cast<int64_t>(f.labelled));
    w.Field("metric", f.classification ? "accuracy" : "rmse");
    const std::optional<double> value = f.classification ? f.accuracy : f.rmse;
    w.Key("value");
    if (value) {
      w.Double(*value);
    } else {
      w.Null();
    }
    w.Key("quality");
    if (f.quality() && f.labelled >= min_labels) {
      w.Double(*f.quality());
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

std::string LiveMonitoring::DeploymentsJson() {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, e] : entries_) {
    w.BeginObject()
        .Field("deployment", name)
        .Field("model", e->model)
        .Field("version", e->version)
        .Key("reference")
        .Bool(e->reference)
        .Key("monitored")
        .Bool(e->monitor != nullptr);
    if (!e->monitor) {
      w.Field("reason", e->not_monitored).EndObject();
      continue;
    }
    const monitoring::LiveOptions& o = e->monitor->options();
    w.Key("window_rows")
        .Int(static_cast<int64_t>(o.window_rows))
        .Key("window_seconds")
        .Int(o.window_ms / 1000)
        .Key("alert_after")
        .Int(o.alert_after)
        .Key("clear_after")
        .Int(o.clear_after)
        .Field("segment", o.segment_column)
        .Key("records")
        .Int(static_cast<int64_t>(e->records))
        .Key("skipped_records")
        .Int(static_cast<int64_t>(e->skipped))
        .Key("state")
        .Raw(monitoring::MonitorStateJson(name, e->monitor->current_state()));
    WriteArms(w, *e->arms, o.min_quality_labels);
    w.EndObject();
  }
  w.EndArray();
  return out;
}

absl::StatusOr<std::string> LiveMonitoring::WindowsJson(std::string_view deployment,
                                                        int max_results) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(EntryPtr e, Monitored(deployment));
  std::vector<monitoring::WindowResult> windows = e->monitor->Windows();  // oldest first
  std::string out = "[";
  int n = 0;
  for (auto it = windows.rbegin(); it != windows.rend() && n < max_results; ++it, ++n) {
    if (n > 0) out += ",";
    out += monitoring::WindowResultJson(*it);
  }
  out += "]";
  return out;
}

absl::StatusOr<std::string> LiveMonitoring::AlertsJson(std::string_view deployment) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(EntryPtr e, Monitored(deployment));
  const monitoring::MonitorState s = e->monitor->current_state();
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("active").BeginArray();
  if (s.data_drift_firing) w.String("data_drift");
  if (s.prediction_drift_firing) w.String("prediction_drift");
  if (s.quality_firing) w.String("quality");
  if (s.bias_firing) w.String("bias");
  w.EndArray().Key("events").BeginArray();
  for (auto it = e->alert_events.rbegin(); it != e->alert_events.rend(); ++it) w.Raw(*it);
  w.EndArray().EndObject();
  return out;
}

absl::StatusOr<http::LabelCounts> LiveMonitoring::AddLabels(std::string_view deployment,
                                                            std::vector<http::PostedLabel> posted) {
  Flush();  // predictions answered before the labels were sent are in their windows
  std::vector<monitoring::Label> labels;
  labels.reserve(posted.size());
  for (http::PostedLabel& p : posted) {
    monitoring::Label l;
    l.request_id = std::move(p.request_id);
    l.row = p.row;
    if (p.numeric) {
      l.value = p.number;
    } else {
      l.value = std::move(p.text);
    }
    labels.push_back(std::move(l));
  }
  std::unique_lock<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(EntryPtr e, Monitored(deployment));
  monitoring::LabelCounts c = e->monitor->AddLabels(labels);
  // Rows a canary predicted are unknown to the window monitor (it watches the primary).
  for (const auto& [version, n] : e->arms->AddLabels(labels)) {
    if (version == e->version) continue;
    c.matched += n;
    c.unknown_request_id -= std::min(c.unknown_request_id, n);
  }
  std::vector<Changes> changes;
  changes.push_back(TakeChanges(std::string(deployment), *e));
  Publish(lock, std::move(changes));
  http::LabelCounts out;
  out.matched = static_cast<int64_t>(c.matched);
  out.unknown = static_cast<int64_t>(c.unknown_request_id);
  out.duplicate = static_cast<int64_t>(c.duplicate);
  out.late = static_cast<int64_t>(c.late);
  out.unbuffered = static_cast<int64_t>(c.unbuffered);
  return out;
}

}  // namespace ferry::app
