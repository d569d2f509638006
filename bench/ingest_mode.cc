// Mode `ingest`: N clients, each with its own run and connection, send log-batch requests of
// 1000 metrics (10 keys x 100 steps) back to back for D seconds.

#include <atomic>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench_payloads.h"
#include "load_modes.h"
#include "load_util.h"

namespace ferry::bench {
namespace {

constexpr int kMetricsPerRequest = kIngestKeys * kIngestSteps;

struct WorkerResult {
  Latencies latencies;
  int64_t ok = 0;
  int64_t non200 = 0;
  absl::Status error;
  std::string first_failure;
};

void IngestWorker(const Endpoint& endpoint, const std::string& run_id, uint64_t seed,
                  double deadline_ms, WorkerResult* out) {
  HttpClient client(endpoint);
  std::mt19937_64 rng(seed);
  std::string body;
  HttpResponse response;
  const std::string target = absl::StrCat(kApi, "runs/log-batch");
  const int64_t base_ms = EpochMs();
  for (int64_t batch = 0; NowMs() < deadline_ms; ++batch) {
    body.clear();
    AppendIngestBatch(&body, run_id, batch, base_ms, rng);
    double start = NowMs();
    out->error = client.Post(target, body, &response);
    if (!out->error.ok()) return;
    out->latencies.Add(NowMs() - start);
    if (response.status == 200) {
      ++out->ok;
    } else if (out->non200++ == 0) {
      out->first_failure = absl::StrCat(response.status, ": ", response.body.substr(0, 300));
    }
  }
}

absl::StatusOr<std::vector<std::string>> CreateRuns(const LoadOptions& o) {
  HttpClient setup(o.endpoint);
  ASSIGN_OR_RETURN(std::string experiment,
                   CreateExperiment(setup, absl::StrCat("bench-ingest-", EpochMs())));
  std::vector<std::string> runs;
  for (int i = 0; i < o.clients; ++i) {
    ASSIGN_OR_RETURN(std::string run, CreateRun(setup, experiment, absl::StrCat("ingest-", i)));
    runs.push_back(std::move(run));
  }
  return runs;
}

}  // namespace

absl::Status RunIngest(const LoadOptions& o) {
  ASSIGN_OR_RETURN(std::vector<std::string> runs, CreateRuns(o));
  std::vector<WorkerResult> results(static_cast<size_t>(o.clients));
  ServerCpu server_cpu(o.server_pid);
  double client_cpu_start = SelfCpuMs();
  server_cpu.Start();
  double start = NowMs();
  double deadline = start + o.duration_s * 1000;
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back(IngestWorker, std::cref(o.endpoint), std::cref(runs[i]), o.seed + i,
                         deadline, &results[i]);
  }
  for (std::thread& t : threads) t.join();
  double elapsed_s = (NowMs() - start) / 1000;
  double server_ms = server_cpu.ElapsedMs();
  double client_ms = SelfCpuMs() - client_cpu_start;

  Latencies all;
  int64_t ok = 0, non200 = 0;
  for (const WorkerResult& r : results) {
    RETURN_IF_ERROR(r.error);
    all.Merge(r.latencies);
    ok += r.ok;
    non200 += r.non200;
    if (!r.first_failure.empty()) std::fprintf(stderr, "non-200: %s\n", r.first_failure.c_str());
  }
  const double requests = static_cast<double>(ok + non200);
  const double metrics = static_cast<double>(ok) * kMetricsPerRequest;
  std::printf(
      "ingest: %d clients x %.1f s, %d metrics/request\n"
      "  %.0f requests (%lld non-200), %.0f metrics/s, %.1f requests/s\n"
      "  latency ms: mean %.2f p50 %.2f p99 %.2f max %.2f\n"
      "  server CPU %.0f ms (%.1f us/request, %.3f us/metric), client CPU %.0f ms\n",
      o.clients, elapsed_s, kMetricsPerRequest, requests, static_cast<long long>(non200),
      metrics / elapsed_s, requests / elapsed_s, all.Mean(), all.Percentile(50), all.Percentile(99),
      all.Percentile(100), server_ms, 1000 * server_ms / requests, 1000 * server_ms / metrics,
      client_ms);
  std::printf(
      "RESULT ingest clients=%d duration_s=%.2f requests=%.0f non200=%lld metrics_per_s=%.0f "
      "requests_per_s=%.1f p50_ms=%.2f p99_ms=%.2f server_cpu_ms=%.0f "
      "server_cpu_us_per_request=%.1f server_cpu_us_per_metric=%.3f client_cpu_ms=%.0f\n",
      o.clients, elapsed_s, requests, static_cast<long long>(non200), metrics / elapsed_s,
      requests / elapsed_s, all.Percentile(50), all.Percentile(99), server_ms,
      1000 * server_ms / requests, 1000 * server_ms / metrics, client_ms);
  if (non200 != 0) return absl::InternalError(absl::StrCat(non200, " non-200 responses"));
  return absl::OkStatus();
}

}  // namespace ferry::bench
