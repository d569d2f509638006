// Ferry's chart and table data (docs/API.md): GET /api/ferry/v1/metrics/buckets, long metric
// histories downsampled keeping each bucket's min, max and last (tracking/metric_buckets.h);
// POST /api/ferry/v1/runs/metric-extremes, each run's min and max of some metrics.

#include "http/handlers/handler_util.h"
#include "http/handlers/mlflow/tracking_handlers.h"
#include "tracking/metric_buckets.h"

namespace ferry::http {
namespace {

void WriteDoubles(JsonWriter& w, std::string_view key, const std::vector<double>& values) {
  w.Key(key).BeginArray();
  for (double v : values) w.Double(v);
  w.EndArray();
}

absl::Status MetricBuckets(tracking::TrackingService& t, const RequestArgs& a, JsonWriter& w) {
  tracking::BucketQuery q;
  ASSIGN_OR_RETURN(q.run_ids, a.StringList("run_id"));
  ASSIGN_OR_RETURN(q.metric_key, a.RequiredString("metric_key"));
  ASSIGN_OR_RETURN(auto buckets, a.Int64("buckets"));
  ASSIGN_OR_RETURN(auto x, a.String("x"));
  ASSIGN_OR_RETURN(q.start, a.Double("start"));
  ASSIGN_OR_RETURN(q.end, a.Double("end"));
  ASSIGN_OR_RETURN(auto x_metric, a.String("x_metric"));
  ASSIGN_OR_RETURN(q.after_step, a.Int64("after_step"));
  ASSIGN_OR_RETURN(auto with_time, a.Bool("with_time"));
  q.with_time = with_time.value_or(false);
  if (x && *x != "step" && *x != "time" && *x != "metric") {
    return absl::InvalidArgumentError("metric buckets: x must be step, time or metric, got " + *x);
  }
  if ((x == "metric") != x_metric.has_value()) {
    return absl::InvalidArgumentError("metric buckets: x=metric goes with x_metric=KEY");
  }
  q.by_time = x == "time";
  q.x_metric = x_metric.value_or("");
  if (buckets) {
    if (*buckets < 1 || *buckets > tracking::kMaxBuckets)
      q.buckets = 0;  // Validate names it
    else
      q.buckets = static_cast<int>(*buckets);
  }
  ASSIGN_OR_RETURN(auto runs, tracking::BucketMetricHistory(t, q));
  w.Field("metric_key", q.metric_key).Field("x", x.value_or("step"));
  if (x_metric) w.Field("x_metric", *x_metric);
  w.Key("runs").BeginArray();
  for (const auto& r : runs) {
    w.BeginObject().Field("run_id", r.run_id).Field("points", r.points);
    if (r.last_step) w.Field("last_step", *r.last_step);
    WriteDoubles(w, "x", r.x);
    WriteDoubles(w, "min", r.min);
    WriteDoubles(w, "max", r.max);
    WriteDoubles(w, "last", r.last);
    w.Key("count").BeginArray();
    for (int64_t c : r.count) w.Int(c);
    w.EndArray();
    if (q.with_time) {
      w.Key("time").BeginArray();
      for (int64_t t : r.time) w.Int(t);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  return absl::OkStatus();
}

absl::Status MetricExtremes(tracking::TrackingService& t, const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(auto run_ids, a.StringList("run_ids"));
  ASSIGN_OR_RETURN(auto keys, a.StringList("keys"));
  ASSIGN_OR_RETURN(auto extremes, t.GetMetricExtremes(run_ids, keys));
  w.Key("extremes").BeginArray();
  for (const auto& e : extremes) {
    w.BeginObject().Field("run_id", e.run_id).Field("key", e.key);
    w.FieldDouble("min", e.min).FieldDouble("max", e.max).EndObject();
  }
  w.EndArray();
  return absl::OkStatus();
}

}  // namespace

void RegisterMetricBucketRoutes(Router& router, tracking::TrackingService& t) {
  router.Add("GET", "/api/ferry/v1/metrics/buckets", Bind(t, MetricBuckets));
  router.Add("POST", "/api/ferry/v1/runs/metric-extremes", Bind(t, MetricExtremes));
}

}  // namespace ferry::http
