#include "tracking/metric_buckets.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace ferry::tracking {
namespace {

absl::Status Validate(const BucketQuery& q) {
  if (q.run_ids.empty()) {
    return absl::InvalidArgumentError("metric buckets: give at least one run_id");
  }
  if (q.run_ids.size() > static_cast<size_t>(kMaxBucketRuns)) {
    return absl::InvalidArgumentError("metric buckets: at most " + std::to_string(kMaxBucketRuns) +
                                      " run_ids, got " + std::to_string(q.run_ids.size()));
  }
  if (q.metric_key.empty()) return absl::InvalidArgumentError("metric buckets: give a metric_key");
  if (q.buckets < 1 || q.buckets > kMaxBuckets) {
    return absl::InvalidArgumentError("metric buckets: buckets must be between 1 and " +
                                      std::to_string(kMaxBuckets));
  }
  if (q.by_time && !q.x_metric.empty()) {
    return absl::InvalidArgumentError("metric buckets: x is either the time or a metric");
  }
  if (q.start.has_value() != q.end.has_value()) {
    return absl::InvalidArgumentError("metric buckets: give both start and end, or neither");
  }
  if (q.start && !(*q.start <= *q.end)) {
    return absl::InvalidArgumentError("metric buckets: start must not be after end");
  }
  if (q.with_time && !q.x_metric.empty()) {
    return absl::InvalidArgumentError("metric buckets: with_time goes with x=step or x=time");
  }
  if (q.after_step && q.start) {
    return absl::InvalidArgumentError("metric buckets: after_step goes without start and end");
  }
  return absl::OkStatus();
}

// By x, keeping the history's order among equal x (the last of them is a bucket's last).
void SortByX(std::vector<std::pair<double, double>>& points) {
  std::stable_sort(points.begin(), points.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

// The whole history, or only the points after q.after_step.
absl::StatusOr<std::vector<Metric>> History(TrackingService& tracking, const BucketQuery& q,
                                            const std::string& run_id, const std::string& key) {
  if (q.after_step) return tracking.GetMetricsAfterStep(run_id, key, *q.after_step);
  ASSIGN_OR_RETURN(SearchResult<Metric> history,
                   tracking.GetMetricHistory(run_id, key, std::nullopt, ""));
  return std::move(history.items);
}

struct RunPoints {
  std::vector<std::pair<double, double>> points;  // (x, value), sorted by x
  std::optional<int64_t> last_step;
  // x by step with_time: the history, for each bucket's last point's time.
  std::vector<Metric> history;
};

RunPoints Read(const BucketQuery& q, const std::vector<Metric>& y) {
  RunPoints out;
  for (const Metric& m : y) out.last_step = std::max(out.last_step.value_or(m.step), m.step);
  out.points.reserve(y.size());
  for (const Metric& m : y) {
    out.points.emplace_back(q.by_time ? static_cast<double>(m.timestamp) : m.step, m.value);
  }
  SortByX(out.points);
  return out;
}

// Each bucket's time: its x on a time axis; by step, the timestamp of the last point (in the
// history's order, as a bucket's last is: the sort by x keeps that order) at the bucket's step,
// found by binary search among the buckets' sorted x.
void AddTimes(const BucketQuery& q, const RunPoints& run, MetricBuckets& b) {
  if (q.by_time) {
    for (double x : b.x) b.time.push_back(static_cast<int64_t>(x));
    return;
  }
  b.time.assign(b.x.size(), 0);
  for (const Metric& m : run.history) {
    const double step = static_cast<double>(m.step);
    auto it = std::lower_bound(b.x.begin(), b.x.end(), step);
    if (it != b.x.end() && *it == step) b.time[it - b.x.begin()] = m.timestamp;
  }
}

// One run's points (x, value), sorted by x, and its highest step.
absl::StatusOr<RunPoints> Points(TrackingService& tracking, const BucketQuery& q,
                                 const std::string& run_id) {
  ASSIGN_OR_RETURN(std::vector<Metric> y, History(tracking, q, run_id, q.metric_key));
  RunPoints out = Read(q, y);
  if (q.with_time && !q.by_time) out.history = std::move(y);  // with_time excludes x_metric
  if (!q.x_metric.empty()) {
    ASSIGN_OR_RETURN(std::vector<Metric> x, History(tracking, q, run_id, q.x_metric));
    out.points = JoinByStep(x, y);
  }
  return out;
}

}  // namespace

std::vector<std::pair<double, double>> JoinByStep(const std::vector<Metric>& x,
                                                  const std::vector<Metric>& y) {
  std::unordered_map<int64_t, double> at_step;
  at_step.reserve(x.size());
  for (const Metric& m : x) at_step[m.step] = m.value;
  std::vector<std::pair<double, double>> points;
  points.reserve(y.size());
  for (const Metric& m : y) {
    auto it = at_step.find(m.step);
    if (it != at_step.end() && std::isfinite(it->second)) points.emplace_back(it->second, m.value);
  }
  SortByX(points);
  return points;
}

MetricBuckets BucketPoints(const std::vector<std::pair<double, double>>& points, double lo,
                           double hi, int buckets) {
  MetricBuckets b;
  auto first = std::lower_bound(points.begin(), points.end(), lo,
                                [](const auto& p, double x) { return p.first < x; });
  auto end = std::upper_bound(points.begin(), points.end(), hi,
                              [](double x, const auto& p) { return x < p.first; });
  b.points = end - first;
  const bool exact = b.points <= buckets;
  const double width = hi > lo ? (hi - lo) / buckets : 1;
  int64_t current = -1;
  for (auto it = first; it != end; ++it) {
    const auto [x, y] = *it;
    const int64_t index =
        exact ? it - first : std::min<int64_t>(buckets - 1, static_cast<int64_t>((x - lo) / width));
    if (index != current) {
      current = index;
      b.x.push_back(x);
      b.min.push_back(y);
      b.max.push_back(y);
      b.last.push_back(y);
      b.count.push_back(1);
      continue;
    }
    b.x.back() = x;
    b.min.back() = std::fmin(b.min.back(), y);  // NaN never wins over a number
    b.max.back() = std::fmax(b.max.back(), y);
    b.last.back() = y;
    ++b.count.back();
  }
  return b;
}

absl::StatusOr<std::vector<MetricBuckets>> BucketMetricHistory(TrackingService& tracking,
                                                               const BucketQuery& q) {
  RETURN_IF_ERROR(Validate(q));
  std::vector<RunPoints> series;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const std::string& run_id : q.run_ids) {
    ASSIGN_OR_RETURN(RunPoints run, Points(tracking, q, run_id));
    if (!run.points.empty()) {
      lo = std::min(lo, run.points.front().first);
      hi = std::max(hi, run.points.back().first);
    }
    series.push_back(std::move(run));
  }
  if (q.start) std::tie(lo, hi) = std::pair(*q.start, *q.end);
  std::vector<MetricBuckets> out;
  for (size_t i = 0; i < series.size(); ++i) {
    out.push_back(BucketPoints(series[i].points, lo, hi, q.buckets));
    out.back().run_id = q.run_ids[i];
    out.back().last_step = series[i].last_step;
    if (q.with_time) AddTimes(q, series[i], out.back());
  }
  return out;
}

}  // namespace ferry::tracking
