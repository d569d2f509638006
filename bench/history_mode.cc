// Mode `history`: one metric with 100,000 points (log-batch of 1000 per request), then the
// whole history in one metrics/get-history response (no max_results), R times.

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench_payloads.h"
#include "common/strings.h"
#include "load_modes.h"
#include "load_util.h"

namespace ferry::bench {
namespace {

constexpr int kBatch = 1000;
constexpr char kKey[] = "loss";

absl::StatusOr<std::string> SetUp(HttpClient& c, const LoadOptions& o) {
  ASSIGN_OR_RETURN(std::string experiment,
                   CreateExperiment(c, absl::StrCat("bench-history-", EpochMs())));
  ASSIGN_OR_RETURN(std::string run, CreateRun(c, experiment, "history"));
  double start = NowMs();
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> uniform(0, 1);
  const int64_t base_ms = EpochMs();
  std::vector<MetricPoint> points;
  std::string body;
  for (int first = 0; first < o.points; first += kBatch) {
    points.clear();
    for (int step = first; step < std::min(first + kBatch, o.points); ++step) {
      points.push_back({kKey, uniform(rng), base_ms + step, step});
    }
    body.clear();
    AppendLogBatch(&body, run, points, {}, {});
    RETURN_IF_ERROR(PostOk(c, "runs/log-batch", body));
  }
  std::printf("history setup: %d points of '%s' in run %s in %.1f s\n", o.points, kKey, run.c_str(),
              (NowMs() - start) / 1000);
  return run;
}

}  // namespace

absl::Status RunHistory(const LoadOptions& o) {
  HttpClient client(o.endpoint);
  ASSIGN_OR_RETURN(std::string run, SetUp(client, o));
  const int repeats = o.repeats > 0 ? o.repeats : 30;
  const std::string target = absl::StrCat(kApi, "metrics/get-history?run_id=", UrlEncode(run),
                                          "&metric_key=", UrlEncode(kKey));
  HttpResponse r;
  RETURN_IF_ERROR(client.Get(target, &r));  // warm-up
  Latencies latencies;
  ServerCpu server_cpu(o.server_pid);
  server_cpu.Start();
  for (int i = 0; i < repeats; ++i) {
    double start = NowMs();
    RETURN_IF_ERROR(client.Get(target, &r));
    latencies.Add(NowMs() - start);
    if (r.status != 200) return absl::InternalError(absl::StrCat("history -> ", r.status));
    // Every metric object has exactly one "key" member (step 0 may be omitted, key never).
    size_t points = CountOccurrences(r.body, "\"key\"");
    if (points != static_cast<size_t>(o.points)) {
      return absl::InternalError(absl::StrCat("expected ", o.points, " points, got ", points));
    }
  }
  double server_ms = server_cpu.ElapsedMs();
  std::printf(
      "history: %d points, %d requests\n  latency ms: mean %.1f p50 %.1f p99 %.1f max %.1f; "
      "%zu bytes/response; server CPU %.1f ms/request\n",
      o.points, repeats, latencies.Mean(), latencies.Percentile(50), latencies.Percentile(99),
      latencies.Percentile(100), r.body.size(), server_ms / repeats);
  std::printf(
      "RESULT history points=%d requests=%d p50_ms=%.1f p99_ms=%.1f response_bytes=%zu "
      "server_cpu_ms_per_request=%.1f\n",
      o.points, repeats, latencies.Percentile(50), latencies.Percentile(99), r.body.size(),
      server_ms / repeats);
  return absl::OkStatus();
}

}  // namespace ferry::bench
