#include "monitoring/live/history_codec.h"

#include <map>
#include <optional>

#include "common/json.h"
#include "common/json_writer.h"
#include "monitoring/live/live_json.h"

namespace ferry::monitoring {
namespace {

// Reads the fields of one JSON object, remembering the first error ("window.rows: ...").
class Fields {
 public:
  Fields(const JsonValue& object, std::string path) : o_(object), path_(std::move(path)) {}

  const JsonValue* Get(std::string_view key) {
    const JsonValue* v = o_.Find(key);
    if (v == nullptr) Fail(key, "missing");
    return v;
  }
  uint64_t U64(std::string_view key) {
    const JsonValue* v = Get(key);
    if (v == nullptr) return 0;
    if (!v->is_integer() || v->as_int() < 0) return Fail(key, "expected a count"), 0;
    return v->type() == JsonValue::Type::kUint ? v->as_uint() : static_cast<uint64_t>(v->as_int());
  }
  int64_t I64(std::string_view key) {
    const JsonValue* v = Get(key);
    if (v == nullptr) return 0;
    if (!v->is_integer()) return Fail(key, "expected an integer"), 0;
    return v->as_int();
  }
  double Number(std::string_view key) {
    const JsonValue* v = Get(key);
    if (v == nullptr) return 0;
    if (!v->is_number()) return Fail(key, "expected a number"), 0;
    return v->as_double();
  }
  std::optional<double> OptNumber(std::string_view key) {
    const JsonValue* v = Get(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (!v->is_number()) return Fail(key, "expected a number or null"), std::nullopt;
    return v->as_double();
  }
  bool Bool(std::string_view key) {
    const JsonValue* v = Get(key);
    if (v == nullptr) return false;
    if (!v->is_bool()) return Fail(key, "expected a boolean"), false;
    return v->as_bool();
  }
  std::string String(std::string_view key) {
    const JsonValue* v = Get(key);
    if (v == nullptr) return "";
    if (!v->is_string()) return Fail(key, "expected a string"), "";
    return v->as_string();
  }
  const std::vector<JsonValue>* Array(std::string_view key) {
    const JsonValue* v = Get(key);
    if (v == nullptr) return nullptr;
    if (!v->is_array()) return Fail(key, "expected an array"), nullptr;
    return &v->items();
  }
  // The object at `key` (null allowed when `nullable`), or nullptr.
  const JsonValue* Object(std::string_view key, bool nullable = false) {
    const JsonValue* v = Get(key);
    if (v == nullptr || (nullable && v->is_null())) return nullptr;
    if (!v->is_object()) return Fail(key, "expected an object"), nullptr;
    return v;
  }
  std::string Path(std::string_view key) const { return path_ + "." + std::string(key); }
  void Fail(std::string_view key, std::string_view reason) {
    if (error_.empty()) error_ = Path(key) + ": " + std::string(reason);
  }
  void Adopt(const Fields& inner) {
    if (error_.empty()) error_ = inner.error_;
  }
  const std::string& error() const { return error_; }

 private:
  const JsonValue& o_;
  std::string path_;
  std::string error_;
};

std::vector<LiveColumnDrift> Columns(Fields& f, std::string_view key) {
  std::vector<LiveColumnDrift> out;
  const std::vector<JsonValue>* items = f.Array(key);
  if (items == nullptr) return out;
  for (size_t i = 0; i < items->size(); ++i) {
    Fields c((*items)[i], f.Path(key) + "[" + std::to_string(i) + "]");
    LiveColumnDrift d;
    d.name = c.String("name");
    d.column_type = c.String("column_type");
    d.stattest = c.String("stattest");
    d.statistic = c.Number("statistic");
    d.threshold = c.Number("threshold");
    d.p_value = c.OptNumber("p_value");
    d.drift_detected = c.Bool("drift_detected");
    d.status = c.String("status");
    d.count = c.U64("count");
    d.missing = c.U64("missing");
    f.Adopt(c);
    out.push_back(std::move(d));
  }
  return out;
}

WindowQuality Quality(Fields& f) {
  WindowQuality q;
  const JsonValue* o = f.Object("quality");
  if (o == nullptr) return q;
  Fields g(*o, f.Path("quality"));
  q.classification = g.String("task") == "classification";
  q.labelled = g.U64("labelled");
  q.accuracy = g.OptNumber("accuracy");
  q.roc_auc = g.OptNumber("roc_auc");
  q.rmse = g.OptNumber("rmse");
  q.mae = g.OptNumber("mae");
  q.baseline = g.OptNumber("baseline");
  q.degraded = g.Bool("degraded");
  f.Adopt(g);
  return q;
}

SegmentBias Segment(const JsonValue& v, Fields& parent, const std::string& path) {
  Fields s(v, path);
  SegmentBias b;
  b.segment = s.String("segment");
  b.count = s.U64("count");
  b.labelled = s.U64("labelled");
  b.positive_rate = s.OptNumber("positive_rate").value_or(0);
  b.prediction_mean = s.OptNumber("prediction_mean").value_or(0);
  b.accuracy = s.OptNumber("accuracy");
  b.recall = s.OptNumber("recall");
  b.rmse = s.OptNumber("rmse");
  b.mae = s.OptNumber("mae");
  parent.Adopt(s);
  return b;
}

void Bias(Fields& f, WindowResult* r) {
  const JsonValue* o = f.Object("bias", /*nullable=*/true);
  if (o == nullptr) return;
  Fields g(*o, f.Path("bias"));
  BiasReport b;
  b.classification = g.String("task") == "classification";
  if (b.classification) b.positive = g.String("positive");
  if (const std::vector<JsonValue>* segments = g.Array("segments")) {
    for (size_t i = 0; i < segments->size(); ++i) {
      b.segments.push_back(
          Segment((*segments)[i], g, g.Path("segments") + "[" + std::to_string(i) + "]"));
    }
  }
  if (const JsonValue* gaps = g.Object("gaps")) {
    for (const JsonValue::Member& m : gaps->members()) {
      std::optional<double> value;
      if (m.second.is_number()) value = m.second.as_double();
      // Ratios are reported, never compared with the threshold (bias.h).
      b.gaps.push_back(BiasGap{m.first, value, m.first.find("ratio") == std::string::npos});
    }
  }
  if (const std::vector<JsonValue>* over = g.Array("gaps_over_threshold")) {
    for (const JsonValue& v : *over) {
      if (v.is_string()) r->bias_gaps_over.push_back(v.as_string());
    }
  }
  f.Adopt(g);
  r->bias = std::move(b);
}

WindowResult Window(Fields& f) {
  WindowResult r;
  r.index = f.U64("index");
  r.start_ms = f.I64("start_ms");
  r.end_ms = f.I64("end_ms");
  r.rows = f.U64("rows");
  r.empty = f.Bool("empty");
  r.baseline = f.Bool("baseline");
  r.compared_with = f.String("compared_with");
  r.dataset_drift = f.Bool("dataset_drift");
  r.drift_share = f.Number("drift_share");
  r.number_of_columns = f.U64("number_of_columns");
  r.number_of_drifted_columns = f.U64("number_of_drifted_columns");
  r.columns = Columns(f, "columns");
  r.prediction_drift_detected = f.Bool("prediction_drift_detected");
  r.prediction_drift = Columns(f, "prediction_drift");
  r.unknown_columns = f.U64("unknown_columns");
  r.unbuffered_rows = f.U64("unbuffered_rows");
  r.quality = Quality(f);
  Bias(f, &r);
  return r;
}

std::vector<std::string> Strings(Fields& f, std::string_view key) {
  std::vector<std::string> out;
  if (const std::vector<JsonValue>* items = f.Array(key)) {
    for (const JsonValue& v : *items) {
      if (!v.is_string()) {
        f.Fail(key, "expected strings");
        break;
      }
      out.push_back(v.as_string());
    }
  }
  return out;
}

AlertEvent Alert(Fields& f) {
  AlertEvent a;
  a.kind = f.String("kind");
  a.state = f.String("state");
  a.deployment = f.String("deployment");
  a.first_window = f.U64("first_window");
  a.last_window = f.U64("last_window");
  a.columns = Strings(f, "columns");
  a.stattests = Strings(f, "stattests");
  if (const std::vector<JsonValue>* items = f.Array("statistics")) {
    for (const JsonValue& v : *items) a.statistics.push_back(v.is_number() ? v.as_double() : 0);
  }
  a.message = f.String("message");
  if (a.state != "firing" && a.state != "resolved") f.Fail("state", "expected firing or resolved");
  return a;
}

std::string Envelope(const std::string& version, std::string_view key, const std::string& body) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("v").Int(kHistoryFormatVersion).Field("version", version);
  w.Key(key).Raw(body).EndObject();
  return out;
}

}  // namespace

std::string EncodeHistoryWindow(const std::string& version, const WindowResult& window) {
  return Envelope(version, "window", WindowResultJson(window));
}

std::string EncodeHistoryAlert(const std::string& version, const AlertEvent& alert) {
  return Envelope(version, "alert", AlertEventJson(alert));
}

absl::StatusOr<HistoryRecord> DecodeHistoryRecord(std::string_view line) {
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(line));
  if (!v.is_object()) return absl::InvalidArgumentError("record: expected a JSON object");
  Fields f(v, "record");
  if (f.I64("v") != kHistoryFormatVersion && f.error().empty()) {
    return absl::InvalidArgumentError("record.v: unsupported format version");
  }
  HistoryRecord r;
  r.version = f.String("version");
  if (const JsonValue* w = v.Find("window")) {
    r.is_window = true;
    Fields g(*w, "record.window");
    if (!w->is_object()) g.Fail("", "expected an object");
    if (g.error().empty()) r.window = Window(g);
    f.Adopt(g);
  } else if (const JsonValue* a = v.Find("alert")) {
    Fields g(*a, "record.alert");
    if (!a->is_object()) g.Fail("", "expected an object");
    if (g.error().empty()) r.alert = Alert(g);
    f.Adopt(g);
  } else {
    f.Fail("window", "missing (or alert)");
  }
  if (!f.error().empty()) return absl::InvalidArgumentError(f.error());
  return r;
}

MonitorHistory ReplayHistory(std::string_view text, const std::string& version,
                             const HistoryBounds& bounds) {
  MonitorHistory out;
  std::map<uint64_t, WindowResult> windows;
  std::vector<AlertEvent> alerts;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {  // torn: the write of this line did not finish
      ++out.skipped_lines;
      break;
    }
    const std::string_view line = text.substr(start, nl - start);
    start = nl + 1;
    if (line.empty()) continue;
    absl::StatusOr<HistoryRecord> r = DecodeHistoryRecord(line);
    if (!r.ok()) {
      ++out.skipped_lines;
      continue;
    }
    if (r->version != version) continue;
    if (r->is_window) {
      const uint64_t index = r->window.index;
      windows[index] = std::move(r->window);
      while (windows.size() > bounds.windows) windows.erase(windows.begin());
    } else {
      alerts.push_back(std::move(r->alert));
    }
  }
  for (auto& [index, w] : windows) out.windows.push_back(std::move(w));
  const size_t skip = alerts.size() > bounds.alerts ? alerts.size() - bounds.alerts : 0;
  out.alerts.assign(std::make_move_iterator(alerts.begin() + static_cast<std::ptrdiff_t>(skip)),
                    std::make_move_iterator(alerts.end()));
  return out;
}

std::string EncodeHistory(const std::string& version, const MonitorHistory& history) {
  std::string out;
  for (const WindowResult& w : history.windows) out += EncodeHistoryWindow(version, w) + "\n";
  for (const AlertEvent& a : history.alerts) out += EncodeHistoryAlert(version, a) + "\n";
  return out;
}

}  // namespace ferry::monitoring
