// JSON kernels on Ferry's hot paths: decoding a 1000-metric log-batch body (simdjson into
// JsonValue, then the handler's metric decoder) and encoding a 100,000-point metric history
// with JsonWriter (what metrics/get-history writes).
//
// main() stops glibc from returning freed memory to the kernel between iterations: with the
// defaults, whether a ~1 MB DOM's memory is trimmed (and page-faulted back next iteration)
// depends on heap layout, which made these timings swing 4x between runs. The kernels are
// meant to measure JSON work; the server's allocator behaviour shows in tracking_load.

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <random>
#include <string>
#include <vector>

#include "bench_payloads.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "http/handlers/mlflow/tracking_json.h"

namespace ferry::bench {
namespace {

constexpr char kRunId[] = "0123456789abcdef0123456789abcdef";
constexpr int kMetricsPerBatch = kIngestKeys * kIngestSteps;

std::string IngestBody() {
  std::mt19937_64 rng(42);
  std::string body;
  AppendIngestBatch(&body, kRunId, 7, 1700000000000, rng);
  return body;
}

void BM_BuildLogBatchBody(benchmark::State& state) {
  std::mt19937_64 rng(42);
  std::string body;
  for (auto _ : state) {
    body.clear();
    AppendIngestBatch(&body, kRunId, 7, 1700000000000, rng);
    benchmark::DoNotOptimize(body.data());
  }
  state.SetItemsProcessed(state.iterations() * kMetricsPerBatch);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_BuildLogBatchBody);

void BM_ParseLogBatch(benchmark::State& state) {
  const std::string body = IngestBody();
  for (auto _ : state) {
    absl::StatusOr<JsonValue> doc = ParseJson(body);
    benchmark::DoNotOptimize(doc);
  }
  state.SetItemsProcessed(state.iterations() * kMetricsPerBatch);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_ParseLogBatch);

// ParseJson plus http::ParseMetric per item: the log-batch handler's decoding work.
void BM_DecodeLogBatchMetrics(benchmark::State& state) {
  const std::string body = IngestBody();
  std::vector<Metric> metrics;
  for (auto _ : state) {
    absl::StatusOr<JsonValue> doc = ParseJson(body);
    const JsonValue* items = doc.ok() ? doc->Find("metrics") : nullptr;
    if (items == nullptr) {
      state.SkipWithError("no metrics");
      break;
    }
    metrics.clear();
    for (const JsonValue& item : items->items()) {
      absl::StatusOr<Metric> m = http::ParseMetric(item);
      if (m.ok()) metrics.push_back(*std::move(m));
    }
    benchmark::DoNotOptimize(metrics.data());
  }
  state.SetItemsProcessed(state.iterations() * kMetricsPerBatch);
}
BENCHMARK(BM_DecodeLogBatchMetrics);

// The get-history response body for state.range(0) points.
void BM_WriteMetricHistory(benchmark::State& state) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::vector<Metric> history(static_cast<size_t>(state.range(0)));
  for (size_t i = 0; i < history.size(); ++i) {
    history[i] = {"loss", uniform(rng), 1700000000000 + static_cast<int64_t>(i),
                  static_cast<int64_t>(i)};
  }
  std::string out;
  for (auto _ : state) {
    out.clear();
    JsonWriter w(&out);
    w.BeginObject().Key("metrics").BeginArray();
    for (const Metric& m : history) http::WriteMetric(w, m);
    w.EndArray().EndObject();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size()));
}
BENCHMARK(BM_WriteMetricHistory)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_WriteDouble(benchmark::State& state) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::vector<double> values(4096);
  for (double& v : values) v = uniform(rng);
  std::string out;
  for (auto _ : state) {
    out.clear();
    JsonWriter w(&out);
    w.BeginArray();
    for (double v : values) w.Double(v);
    w.EndArray();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(values.size()));
}
BENCHMARK(BM_WriteDouble);

}  // namespace
}  // namespace ferry::bench

int main(int argc, char** argv) {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
