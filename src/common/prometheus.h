#pragma once
// Pieces of the Prometheus text exposition format (0.0.4) shared by every metrics source:
// histograms, label escaping and HELP/TYPE headers.
//
// Thread-safe: Histogram::Observe uses relaxed atomics and may race with Render.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ferry {

// A histogram over integer observations (microseconds, or batch sizes) with fixed upper
// bounds; rendered divided by `scale` (1e6 turns microseconds into seconds).
class Histogram {
 public:
  Histogram(std::vector<int64_t> bounds, double scale);
  void Observe(int64_t v);
  // Appends the _bucket/_sum/_count lines of one series; `labels` is `k="v",...`.
  void Render(const std::string& name, const std::string& labels, std::string* out) const;
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<int64_t> bounds_;
  double scale_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1 (the +Inf bucket)
  std::atomic<uint64_t> count_{0};
  std::atomic<int64_t> sum_{0};
};

// The request-latency buckets: 50 µs .. 10 s, in microseconds.
const std::vector<int64_t>& LatencyBucketsMicros();

// Escapes a Prometheus label value (backslash, double quote, newline).
std::string EscapeLabelValue(std::string_view v);
// Appends `# HELP name help` and `# TYPE name type`.
void AppendMetricHeader(std::string* out, std::string_view name, std::string_view type,
                        std::string_view help);
// Appends `name{labels} value` (`name value` when `labels` is empty).
void AppendSample(std::string* out, std::string_view name, std::string_view labels,
                  std::string_view value);
// Shortest text that reads back as `v` ("5e-05", "0.25", "10").
std::string FormatDouble(double v);

}  // namespace ferry
