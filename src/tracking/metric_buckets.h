#pragma once
// Downsampling that keeps extremes, for charts of long metric histories: the x range is cut
// into N equal buckets and each non-empty bucket keeps its min, its max and its last value
// (W&B's "full fidelity" aggregation), so one spike among 1,000,000 points shows at every
// zoom. When the range holds no more points than buckets, every point comes back as it is
// (min = max = last), which is how a zoom reaches full resolution. x is the step, the
// timestamp, or another metric's value at the same step (MLflow's "metric as x axis"). MLflow's own
// sampling strides over steps and loses what falls between samples (reference/ui-auth.md §2).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "tracking/tracking_service.h"

namespace ferry::tracking {

struct BucketQuery {
  std::vector<std::string> run_ids;  // 1 ..= kMaxBucketRuns
  std::string metric_key;
  bool by_time = false;  // x: the step (default), or the timestamp in ms
  // Non-empty: x is this metric's value logged at the same step (its last one there, in the
  // history's order); points at steps where it has no finite value are left out.
  std::string x_metric;
  int buckets = 1000;  // 1 ..= kMaxBuckets: about twice the chart's width in pixels
  // The x range [start, end]; both or neither. Default: all points of all the runs.
  std::optional<double> start, end;
  // Set: only the points with a step after this one (a live chart's new points, read by an
  // index range scan), bucketed over their own x range; excludes start and end.
  std::optional<int64_t> after_step;
  // Also each bucket's time (MetricBuckets::time), for tooltips; x by step or time only.
  bool with_time = false;
};
inline constexpr int kMaxBucketRuns = 1000;
inline constexpr int kMaxBuckets = 10000;

struct MetricBuckets {
  std::string run_id;
  int64_t points = 0;  // in the range
  // One entry per non-empty bucket, in x order: the x of its last point, its min, max and
  // last value, and how many points it holds.
  std::vector<double> x, min, max, last;
  std::vector<int64_t> count;
  // With BucketQuery::with_time: the timestamp (ms) of each bucket's last point. Else empty.
  std::vector<int64_t> time;
  // The highest step among the run's points read (all of them, or those after after_step),
  // whatever the range: where the next live refresh starts. Unset when there were none.
  std::optional<int64_t> last_step;
};

// Points (x, y) sorted by x into buckets over [lo, hi]; points outside are skipped.
MetricBuckets BucketPoints(const std::vector<std::pair<double, double>>& points, double lo,
                           double hi, int buckets);

// Joins y's points to x's by step: (x value at the step, y value), sorted by x. For each
// step, x's last point in `x` (history order) counts.
std::vector<std::pair<double, double>> JoinByStep(const std::vector<Metric>& x,
                                                  const std::vector<Metric>& y);

// Each run's history of the metric, bucketed over one shared x range. kInvalidArgument
// naming the parameter for bad limits; the run's error (kNotFound) for an unknown run.
absl::StatusOr<std::vector<MetricBuckets>> BucketMetricHistory(TrackingService& tracking,
                                                               const BucketQuery& q);

}  // namespace ferry::tracking
