// Mode `search`: 10,000 runs in one experiment, each with metric `acc` ~ U[0,1), two params
// and two tags; then runs/search "metrics.acc > 0.9" ordered by acc DESC, 100 results, R times.

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <random>

#include "absl/strings/str_cat.h"
#include "bench_payloads.h"
#include "common/json.h"
#include "load_modes.h"
#include "load_util.h"

namespace ferry::bench {
namespace {

constexpr int kSetupWorkers = 4;
constexpr int kPageSize = 100;
constexpr double kThreshold = 0.9;

// Creates run number `index` and returns its acc.
absl::StatusOr<double> CreateSearchRun(HttpClient& c, const std::string& experiment, int index,
                                       std::mt19937_64& rng) {
  ASSIGN_OR_RETURN(std::string run, CreateRun(c, experiment, absl::StrCat("run-", index)));
  const MetricPoint acc[] = {
      {"acc", std::uniform_real_distribution<double>(0, 1)(rng), EpochMs(), 0}};
  const std::string batch_size = std::to_string(16 << (index % 4));
  const std::string lr = absl::StrCat("0.00", 1 + index % 9);
  const KeyValuePair params[] = {{"lr", lr}, {"batch_size", batch_size}};
  const KeyValuePair tags[] = {{"model", index % 2 ? "resnet50" : "vit-b16"}, {"team", "vision"}};
  std::string body;
  AppendLogBatch(&body, run, acc, params, tags);
  RETURN_IF_ERROR(PostOk(c, "runs/log-batch", body));
  return acc[0].value;
}

struct Corpus {
  std::string experiment;
  int expected_results = 0;  // min(100, runs with acc > 0.9)
};

absl::StatusOr<Corpus> SetUp(const LoadOptions& o) {
  HttpClient setup(o.endpoint);
  ASSIGN_OR_RETURN(std::string experiment,
                   CreateExperiment(setup, absl::StrCat("bench-search-", EpochMs())));
  double start = NowMs();
  std::atomic<int> matching = 0;
  RETURN_IF_ERROR(RunParallel(o.endpoint, kSetupWorkers, [&](int w, HttpClient& c) {
    std::mt19937_64 rng(o.seed + static_cast<uint64_t>(w));
    for (int i = w; i < o.runs; i += kSetupWorkers) {
      ASSIGN_OR_RETURN(double acc, CreateSearchRun(c, experiment, i, rng));
      if (acc > kThreshold) ++matching;
    }
    return absl::OkStatus();
  }));
  std::printf("search setup: %d runs in experiment %s in %.1f s\n", o.runs, experiment.c_str(),
              (NowMs() - start) / 1000);
  return Corpus{experiment, std::min(matching.load(), kPageSize)};
}

const JsonValue* FindAcc(const JsonValue& run) {
  const JsonValue* data = run.Find("data");
  const JsonValue* metrics = data ? data->Find("metrics") : nullptr;
  if (metrics == nullptr) return nullptr;
  for (const JsonValue& m : metrics->items()) {
    const JsonValue* key = m.Find("key");
    if (key && key->as_string() == "acc") return m.Find("value");
  }
  return nullptr;
}

// `expected` runs, every acc above the threshold, in descending order.
absl::Status CheckPage(const std::string& body, size_t expected) {
  ASSIGN_OR_RETURN(JsonValue page, ParseJson(body));
  const JsonValue* runs = page.Find("runs");
  size_t n = runs ? runs->items().size() : 0;
  if (n != expected)
    return absl::InternalError(absl::StrCat("expected ", expected, " runs, got ", n));
  double previous = 2;
  for (const JsonValue& run : runs->items()) {
    const JsonValue* acc = FindAcc(run);
    if (acc == nullptr || !acc->is_number()) return absl::InternalError("run without acc");
    double v = acc->as_double();
    if (v <= kThreshold || v > previous) return absl::InternalError("acc filter/order wrong");
    previous = v;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunSearch(const LoadOptions& o) {
  ASSIGN_OR_RETURN(Corpus corpus, SetUp(o));
  const int repeats = o.repeats > 0 ? o.repeats : 200;
  const std::string body =
      SearchRunsBody(corpus.experiment, "metrics.acc > 0.9", "metrics.acc DESC", kPageSize);
  const std::string target = absl::StrCat(kApi, "runs/search");
  HttpClient client(o.endpoint);
  HttpResponse r;
  for (int i = 0; i < 3; ++i) RETURN_IF_ERROR(client.Post(target, body, &r));  // warm-up
  Latencies latencies;
  ServerCpu server_cpu(o.server_pid);
  server_cpu.Start();
  for (int i = 0; i < repeats; ++i) {
    double start = NowMs();
    RETURN_IF_ERROR(client.Post(target, body, &r));
    latencies.Add(NowMs() - start);
    if (r.status != 200) return absl::InternalError(absl::StrCat("search -> ", r.status, r.body));
    RETURN_IF_ERROR(CheckPage(r.body, static_cast<size_t>(corpus.expected_results)));
  }
  double server_ms = server_cpu.ElapsedMs();
  std::printf(
      "search: %d runs, filter metrics.acc > 0.9, order_by metrics.acc DESC, max_results 100, "
      "%d requests\n  latency ms: mean %.2f p50 %.2f p90 %.2f p99 %.2f max %.2f; %zu bytes; "
      "server CPU %.2f ms/request\n",
      o.runs, repeats, latencies.Mean(), latencies.Percentile(50), latencies.Percentile(90),
      latencies.Percentile(99), latencies.Percentile(100), r.body.size(), server_ms / repeats);
  std::printf(
      "RESULT search runs=%d requests=%d results=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f "
      "response_bytes=%zu server_cpu_ms_per_request=%.2f\n",
      o.runs, repeats, corpus.expected_results, latencies.Percentile(50), latencies.Percentile(90),
      latencies.Percentile(99), r.body.size(), server_ms / repeats);
  return absl::OkStatus();
}

}  // namespace ferry::bench
