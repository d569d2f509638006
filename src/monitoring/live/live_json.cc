#include "monitoring/live/live_json.h"

#include <cmath>
#include <optional>

#include "common/json_writer.h"

namespace ferry::monitoring {
namespace {

void OptDouble(JsonWriter& w, std::string_view key, const std::optional<double>& v) {
  w.Key(key);
  if (v && std::isfinite(*v)) {
    w.Double(*v);
  } else {
    w.Null();
  }
}

void U64(JsonWriter& w, std::string_view key, uint64_t v) { w.Key(key).Uint(v); }

void WriteColumns(JsonWriter& w, std::string_view key, const std::vector<LiveColumnDrift>& cs) {
  w.Key(key).BeginArray();
  for (const LiveColumnDrift& c : cs) {
    w.BeginObject();
    w.Field("name", c.name);
    w.Field("column_type", c.column_type);
    w.Field("stattest", c.stattest);
    w.FieldDouble("statistic", c.statistic);
    w.FieldDouble("threshold", c.threshold);
    OptDouble(w, "p_value", c.p_value);
    w.FieldBool("drift_detected", c.drift_detected);
    w.Field("status", c.status);
    U64(w, "count", c.count);
    U64(w, "missing", c.missing);
    w.EndObject();
  }
  w.EndArray();
}

void WriteQuality(JsonWriter& w, const WindowQuality& q) {
  w.Key("quality").BeginObject();
  w.Field("task", q.classification ? "classification" : "regression");
  U64(w, "labelled", q.labelled);
  OptDouble(w, "accuracy", q.accuracy);
  OptDouble(w, "roc_auc", q.roc_auc);
  OptDouble(w, "rmse", q.rmse);
  OptDouble(w, "mae", q.mae);
  OptDouble(w, "baseline", q.baseline);
  w.FieldBool("degraded", q.degraded);
  w.EndObject();
}

void WriteSegment(JsonWriter& w, const SegmentBias& s) {
  w.BeginObject();
  w.Field("segment", s.segment);
  U64(w, "count", s.count);
  U64(w, "labelled", s.labelled);
  OptDouble(w, "positive_rate", std::optional<double>(s.positive_rate));
  OptDouble(w, "prediction_mean", std::optional<double>(s.prediction_mean));
  OptDouble(w, "accuracy", s.accuracy);
  OptDouble(w, "recall", s.recall);
  OptDouble(w, "rmse", s.rmse);
  OptDouble(w, "mae", s.mae);
  w.EndObject();
}

void WriteBias(JsonWriter& w, const WindowResult& r) {
  w.Key("bias");
  if (!r.bias) {
    w.Null();
    return;
  }
  const BiasReport& b = *r.bias;
  w.BeginObject();
  w.Field("task", b.classification ? "classification" : "regression");
  w.Key("positive");
  if (b.classification) {
    w.String(b.positive);
  } else {
    w.Null();
  }
  w.Key("segments").BeginArray();
  for (const SegmentBias& s : b.segments) WriteSegment(w, s);
  w.EndArray();
  w.Key("gaps").BeginObject();
  for (const BiasGap& g : b.gaps) OptDouble(w, g.name, g.value);
  w.EndObject();
  w.Key("gaps_over_threshold").BeginArray();
  for (const std::string& g : r.bias_gaps_over) w.String(g);
  w.EndArray();
  w.EndObject();
}

void WriteCounts(JsonWriter& w, const LabelCounts& c) {
  w.BeginObject();
  U64(w, "matched", c.matched);
  U64(w, "unknown_request_id", c.unknown_request_id);
  U64(w, "duplicate", c.duplicate);
  U64(w, "late", c.late);
  U64(w, "unbuffered", c.unbuffered);
  w.EndObject();
}

void WriteWindow(JsonWriter& w, const WindowResult& r) {
  w.BeginObject();
  U64(w, "index", r.index);
  w.Field("start_ms", r.start_ms);
  w.Field("end_ms", r.end_ms);
  U64(w, "rows", r.rows);
  w.FieldBool("empty", r.empty);
  w.FieldBool("baseline", r.baseline);
  w.Field("compared_with", r.compared_with);
  w.FieldBool("dataset_drift", r.dataset_drift);
  w.FieldDouble("drift_share", std::isfinite(r.drift_share) ? r.drift_share : 0.0);
  U64(w, "number_of_columns", r.number_of_columns);
  U64(w, "number_of_drifted_columns", r.number_of_drifted_columns);
  WriteColumns(w, "columns", r.columns);
  w.FieldBool("prediction_drift_detected", r.prediction_drift_detected);
  WriteColumns(w, "prediction_drift", r.prediction_drift);
  U64(w, "unknown_columns", r.unknown_columns);
  U64(w, "unbuffered_rows", r.unbuffered_rows);
  WriteQuality(w, r.quality);
  WriteBias(w, r);
  w.EndObject();
}

void WriteStrings(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.Key(key).BeginArray();
  for (const std::string& s : v) w.String(s);
  w.EndArray();
}

}  // namespace

std::string WindowResultJson(const WindowResult& window) {
  std::string out;
  JsonWriter w(&out);
  WriteWindow(w, window);
  return out;
}

std::string AlertEventJson(const AlertEvent& e) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("kind", e.kind);
  w.Field("state", e.state);
  w.Field("deployment", e.deployment);
  U64(w, "first_window", e.first_window);
  U64(w, "last_window", e.last_window);
  WriteStrings(w, "columns", e.columns);
  WriteStrings(w, "stattests", e.stattests);
  w.Key("statistics").BeginArray();
  for (double s : e.statistics) w.Double(std::isfinite(s) ? s : 0.0);
  w.EndArray();
  w.Field("message", e.message);
  w.EndObject();
  return out;
}

std::string LabelCountsJson(const LabelCounts& counts) {
  std::string out;
  JsonWriter w(&out);
  WriteCounts(w, counts);
  return out;
}

std::string MonitorStateJson(const std::string& deployment, const MonitorState& s) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("deployment", deployment);
  U64(w, "windows_closed", s.windows_closed);
  U64(w, "open_window_rows", s.open_window_rows);
  U64(w, "rows_total", s.rows_total);
  U64(w, "rejected_rows", s.rejected_rows);
  U64(w, "pending_labels", s.pending_labels);
  w.Key("alerts").BeginObject();
  w.FieldBool("data_drift", s.data_drift_firing);
  w.FieldBool("prediction_drift", s.prediction_drift_firing);
  w.FieldBool("quality", s.quality_firing);
  w.FieldBool("bias", s.bias_firing);
  w.EndObject();
  w.Key("labels");
  WriteCounts(w, s.labels);
  w.Key("last_window");
  if (s.last) {
    WriteWindow(w, *s.last);
  } else {
    w.Null();
  }
  w.EndObject();
  return out;
}

std::string WindowsJson(const std::string& deployment, const std::vector<WindowResult>& windows) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("deployment", deployment);
  w.Key("windows").BeginArray();
  for (const WindowResult& r : windows) WriteWindow(w, r);
  w.EndArray();
  w.EndObject();
  return out;
}

}  // namespace ferry::monitoring
