#include "bench_payloads.h"

#include <array>
#include <charconv>
#include <vector>

namespace ferry::bench {
namespace {

// Python's json.dumps(indent=2) layout: one element per line, ": " after keys.
class PrettyWriter {
 public:
  explicit PrettyWriter(std::string* out) : out_(out) {}

  PrettyWriter& Open(char bracket) {
    Value();
    out_->push_back(bracket);
    first_.push_back(true);
    return *this;
  }
  PrettyWriter& Close(char bracket) {
    bool empty = first_.back();
    first_.pop_back();
    if (!empty) NewLine();
    out_->push_back(bracket);
    return *this;
  }
  PrettyWriter& Key(std::string_view k) {
    Element();
    AppendQuoted(out_, k);
    out_->append(": ");
    after_key_ = true;
    return *this;
  }
  PrettyWriter& String(std::string_view s) {
    Value();
    AppendQuoted(out_, s);
    return *this;
  }
  PrettyWriter& Int(int64_t v) {
    Value();
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    out_->append(buf, end);
    return *this;
  }
  PrettyWriter& Double(double v) {
    Value();
    AppendDouble(out_, v);
    return *this;
  }
  PrettyWriter& KeyValues(std::string_view field, std::span<const KeyValuePair> kvs) {
    if (kvs.empty()) return *this;
    Key(field).Open('[');
    for (const KeyValuePair& kv : kvs) {
      Open('{').Key("key").String(kv.key).Key("value").String(kv.value).Close('}');
    }
    return Close(']');
  }

 private:
  void NewLine() {
    out_->push_back('\n');
    out_->append(2 * first_.size(), ' ');
  }
  // Separator and indentation before an array element or object key.
  void Element() {
    if (first_.empty()) return;
    if (!first_.back()) out_->push_back(',');
    first_.back() = false;
    NewLine();
  }
  void Value() {
    if (after_key_) {
      after_key_ = false;
    } else {
      Element();
    }
  }

  std::string* out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

constexpr std::array<std::string_view, kIngestKeys> kIngestKeyNames = {
    "loss",      "accuracy",   "val_loss",   "val_accuracy", "learning_rate",
    "grad_norm", "epoch_time", "throughput", "gpu_util",     "gpu_memory_mb"};

}  // namespace

void AppendQuoted(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[(c >> 4) & 15]);
      out->push_back(kHex[c & 15]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

void AppendDouble(std::string* out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

void AppendLogBatch(std::string* out, std::string_view run_id, std::span<const MetricPoint> metrics,
                    std::span<const KeyValuePair> params, std::span<const KeyValuePair> tags) {
  PrettyWriter w(out);
  w.Open('{');
  if (!metrics.empty()) {
    w.Key("metrics").Open('[');
    for (const MetricPoint& m : metrics) {
      w.Open('{').Key("key").String(m.key).Key("value").Double(m.value);
      w.Key("timestamp").Int(m.timestamp);
      if (m.step != 0) w.Key("step").Int(m.step);
      w.Close('}');
    }
    w.Close(']');
  }
  w.KeyValues("params", params).KeyValues("tags", tags);
  w.Key("run_id").String(run_id).Close('}');
}

void AppendIngestBatch(std::string* out, std::string_view run_id, int64_t batch, int64_t base_ms,
                       std::mt19937_64& rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::array<MetricPoint, kIngestKeys * kIngestSteps> points;
  size_t i = 0;
  for (int s = 0; s < kIngestSteps; ++s) {
    int64_t step = batch * kIngestSteps + s;
    for (std::string_view key : kIngestKeyNames) {
      points[i++] = {key, uniform(rng), base_ms + step, step};
    }
  }
  AppendLogBatch(out, run_id, points, {}, {});
}

std::string CreateRunBody(std::string_view experiment_id, std::string_view run_name,
                          int64_t start_time_ms) {
  const KeyValuePair tags[] = {{"mlflow.user", "bench"},
                               {"mlflow.source.name", "train.py"},
                               {"mlflow.source.type", "LOCAL"},
                               {"mlflow.runName", run_name}};
  std::string out;
  PrettyWriter w(&out);
  w.Open('{').Key("experiment_id").String(experiment_id).Key("user_id").String("bench");
  w.Key("start_time").Int(start_time_ms).KeyValues("tags", tags);
  w.Key("run_name").String(run_name).Close('}');
  return out;
}

std::string CreateExperimentBody(std::string_view name) {
  std::string out;
  PrettyWriter(&out).Open('{').Key("name").String(name).Close('}');
  return out;
}

std::string SearchRunsBody(std::string_view experiment_id, std::string_view filter,
                           std::string_view order_by, int max_results) {
  std::string out;
  PrettyWriter w(&out);
  w.Open('{').Key("experiment_ids").Open('[').String(experiment_id).Close(']');
  w.Key("run_view_type").String("ACTIVE_ONLY").Key("filter").String(filter);
  w.Key("max_results").Int(max_results).Key("order_by").Open('[').String(order_by).Close(']');
  w.Close('}');
  return out;
}

}  // namespace ferry::bench
