// Mode `get`: N clients, each on its own connection, read the same small run with
// runs/get for the duration. The cheapest request that an access check guards (the run's
// experiment and the caller's permission on it), so it shows what `--auth` costs per request.

#include <cstdio>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "load_modes.h"
#include "load_util.h"

namespace ferry::bench {
namespace {

struct GetResult {
  Latencies latencies;
  int64_t ok = 0;
  absl::Status error;
};

void GetWorker(const Endpoint& endpoint, const std::string& target, double deadline_ms,
               GetResult* out) {
  HttpClient client(endpoint);
  HttpResponse response;
  while (NowMs() < deadline_ms) {
    double start = NowMs();
    out->error = client.Get(target, &response);
    if (out->error.ok() && response.status != 200) {
      out->error = absl::InternalError(
          absl::StrCat("runs/get answered ", response.status, ": ", response.body.substr(0, 300)));
    }
    if (!out->error.ok()) return;
    out->latencies.Add(NowMs() - start);
    ++out->ok;
  }
}

}  // namespace

absl::Status RunGet(const LoadOptions& o) {
  HttpClient setup(o.endpoint);
  ASSIGN_OR_RETURN(std::string experiment,
                   CreateExperiment(setup, absl::StrCat("bench-get-", EpochMs())));
  ASSIGN_OR_RETURN(std::string run, CreateRun(setup, experiment, "get"));
  RETURN_IF_ERROR(
      PostOk(setup, "runs/log-batch",
             absl::StrCat(R"({"run_id":")", run, R"(","params":[{"key":"alpha","value":"0.5"}],)",
                          R"("metrics":[{"key":"loss","value":0.25,"timestamp":1,"step":0}]})")));
  const std::string target = absl::StrCat(kApi, "runs/get?run_id=", run);
  std::vector<GetResult> results(static_cast<size_t>(o.clients));
  ServerCpu server_cpu(o.server_pid);
  server_cpu.Start();
  const double start = NowMs();
  std::vector<std::thread> threads;
  for (GetResult& r : results) {
    threads.emplace_back(GetWorker, std::cref(o.endpoint), std::cref(target),
                         start + o.duration_s * 1000, &r);
  }
  for (std::thread& t : threads) t.join();
  const double elapsed_s = (NowMs() - start) / 1000;
  const double server_ms = server_cpu.ElapsedMs();
  Latencies all;
  int64_t ok = 0;
  for (const GetResult& r : results) {
    RETURN_IF_ERROR(r.error);
    all.Merge(r.latencies);
    ok += r.ok;
  }
  const double requests = static_cast<double>(ok);
  std::printf(
      "get: %d clients x %.1f s: %.0f requests, %.1f requests/s, p50 %.3f ms, p99 %.3f ms, "
      "server CPU %.1f us/request\n",
      o.clients, elapsed_s, requests, requests / elapsed_s, all.Percentile(50), all.Percentile(99),
      1000 * server_ms / requests);
  std::printf(
      "RESULT get clients=%d duration_s=%.2f requests=%.0f requests_per_s=%.1f p50_ms=%.3f "
      "p99_ms=%.3f server_cpu_us_per_request=%.2f\n",
      o.clients, elapsed_s, requests, requests / elapsed_s, all.Percentile(50), all.Percentile(99),
      1000 * server_ms / requests);
  return absl::OkStatus();
}

}  // namespace ferry::bench
