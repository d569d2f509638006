// Profiling throughput: DatasetProfile::FromFrame over 1M rows x 10 numeric columns (KLL,
// HyperLogLog, moments and type counts per value), the same with integral columns (adding
// frequent items), and a 1M-row string column (HyperLogLog and frequent items). Reported as
// values/s of CPU time; whylogs publishes about 0.5-1M values/s per core for its default
// profile (../shared/reference/monitoring.md, section 2.3).
//
//   ninja -C build monitoring_profile_bench &&
//   build/bench/monitoring_profile_bench --benchmark_min_time=2

#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "core/frame.h"
#include "monitoring/profile/dataset_profile.h"
#include "monitoring/profile/profile_codec.h"

namespace ferry::monitoring {
namespace {

constexpr size_t kRows = 1000000;
constexpr int kColumns = 10;

Frame NumericFrame(bool integral) {
  std::mt19937_64 gen(42);
  std::normal_distribution<double> normal(0.0, 1.0);
  Frame f;
  for (int c = 0; c < kColumns; ++c) {
    Column col{"c" + std::to_string(c), true, {}, {}};
    col.numbers.resize(kRows);
    for (double& v : col.numbers) {
      v = integral ? static_cast<double>(gen() % 1000) : normal(gen) * (c + 1) + c;
    }
    f.columns.push_back(std::move(col));
  }
  return f;
}

Frame StringFrame() {
  std::mt19937_64 gen(42);
  Frame f;
  Column col{"s", false, {}, {}};
  col.strings.resize(kRows);
  for (std::string& s : col.strings) s = "category-" + std::to_string(gen() % 10000);
  f.columns.push_back(std::move(col));
  return f;
}

void Run(benchmark::State& state, const Frame& frame) {
  const double values = static_cast<double>(frame.rows() * frame.columns.size());
  for (auto _ : state) {
    DatasetProfile p = DatasetProfile::FromFrame(frame);
    benchmark::DoNotOptimize(p);
  }
  state.counters["values/s"] =
      benchmark::Counter(values, benchmark::Counter::kIsIterationInvariantRate);
  // whylogs' published figure, upper end: 1M values/s per core.
  state.counters["x_whylogs_1M"] =
      benchmark::Counter(values / 1e6, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_ProfileNumeric(benchmark::State& state) {
  static const Frame frame = NumericFrame(false);
  Run(state, frame);
}
BENCHMARK(BM_ProfileNumeric)->Unit(benchmark::kMillisecond);

void BM_ProfileIntegral(benchmark::State& state) {
  static const Frame frame = NumericFrame(true);
  Run(state, frame);
}
BENCHMARK(BM_ProfileIntegral)->Unit(benchmark::kMillisecond);

void BM_ProfileString(benchmark::State& state) {
  static const Frame frame = StringFrame();
  Run(state, frame);
}
BENCHMARK(BM_ProfileString)->Unit(benchmark::kMillisecond);

void BM_EncodeDecode(benchmark::State& state) {
  static const DatasetProfile profile = DatasetProfile::FromFrame(NumericFrame(false));
  for (auto _ : state) {
    auto back = DecodeProfile(EncodeProfile(profile));
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_EncodeDecode)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace ferry::monitoring

BENCHMARK_MAIN();
