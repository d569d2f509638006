// Timings of the drift statistics (monitoring/stats) on the data set that
// bench/peers/monitoring_stats_peer.py times scipy and numpy on; run both with
// bench/run_monitoring_stats_bench.sh. Writes the data (10 columns x N float64, reference
// N(0,1) and current N(0.02,1)) to DIR/ref.f64 and DIR/cur.f64 unless they exist, then
// prints one line per operation: name, min CPU seconds, min wall seconds, result value.
//
//   monitoring_stats_bench DIR [N]

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "monitoring/stats/binning.h"
#include "monitoring/stats/distances.h"
#include "monitoring/stats/ks.h"
#include "monitoring/stats/radix_sort.h"

namespace {

using ferry::monitoring::BinnedCounts;
constexpr int kColumns = 10;

double Now(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Runs fn `repeats` times; prints the minimum CPU and wall time and fn's last value.
void Time(const char* name, int repeats, const std::function<double()>& fn) {
  double best_cpu = 1e30;
  double best_wall = 1e30;
  double value = 0;
  for (int r = 0; r < repeats; ++r) {
    const double c0 = Now(CLOCK_PROCESS_CPUTIME_ID);
    const double w0 = Now(CLOCK_MONOTONIC);
    value = fn();
    best_wall = std::min(best_wall, Now(CLOCK_MONOTONIC) - w0);
    best_cpu = std::min(best_cpu, Now(CLOCK_PROCESS_CPUTIME_ID) - c0);
  }
  std::printf("%s %.6f %.6f %.10g\n", name, best_cpu, best_wall, value);
  std::fflush(stdout);
}

std::vector<double> LoadOrMake(const std::string& path, size_t count, double mean, uint64_t seed) {
  std::vector<double> v(count);
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    const size_t got = std::fread(v.data(), sizeof(double), count, f);
    std::fclose(f);
    if (got == count) return v;
  }
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(mean, 1.0);
  for (double& x : v) x = normal(rng);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(v.data(), sizeof(double), count, f) != count) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(1);
  }
  std::fclose(f);
  return v;
}

std::vector<double> Column(const std::vector<double>& all, size_t n, int c) {
  return {all.begin() + c * n, all.begin() + (c + 1) * n};
}

// Evidently's PSI from raw columns: Sturges edges over both, two histograms, PSI.
double PsiCold(const std::vector<double>& ref, const std::vector<double>& cur) {
  const std::vector<double> edges = ferry::monitoring::SturgesEdges(ref, cur);
  return ferry::monitoring::Psi(ferry::monitoring::HistogramCounts(ref, edges, false),
                                ferry::monitoring::HistogramCounts(cur, edges, false));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR [N]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const size_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000000;
  namespace m = ferry::monitoring;
  const std::vector<double> ref_all = LoadOrMake(dir + "/ref.f64", n * kColumns, 0.0, 20240601);
  const std::vector<double> cur_all = LoadOrMake(dir + "/cur.f64", n * kColumns, 0.02, 20240602);
  std::vector<std::vector<double>> ref(kColumns);
  std::vector<std::vector<double>> cur(kColumns);
  for (int c = 0; c < kColumns; ++c) {
    ref[c] = Column(ref_all, n, c);
    cur[c] = Column(cur_all, n, c);
  }
  const auto& a = ref[0];
  const auto& b = cur[0];

  Time("sort_1M", 5, [&] {
    std::vector<double> copy = a;
    m::SortDoubles(copy);
    return copy[n / 2];
  });
  Time("ks_2samp_1Mx1M", 5, [&] { return m::KsTwoSample(a, b).p_value; });
  Time("psi_evidently_sturges_1Mx1M", 5, [&] { return PsiCold(a, b); });
  // Reference binned ahead (decile edges and reference counts computed once): one
  // histogram pass over the current column and the PSI sum.
  std::vector<double> sorted_ref = a;
  m::SortDoubles(sorted_ref);
  const std::vector<double> deciles = m::QuantileEdges(sorted_ref, 10);
  const std::vector<double> ref_counts = m::HistogramCounts(a, deciles, true);
  Time("psi_prebinned_deciles_1M", 5,
       [&] { return m::Psi(ref_counts, m::HistogramCounts(b, deciles, true)); });
  Time("js_evidently_sturges_1Mx1M", 5, [&] {
    const std::vector<double> edges = m::SturgesEdges(a, b);
    return m::JensenShannonDistance(m::HistogramCounts(a, edges, false),
                                    m::HistogramCounts(b, edges, false));
  });
  Time("wasserstein_norm_1Mx1M", 5, [&] { return m::WassersteinNormalised(a, b); });
  Time("ks_2samp_10cols_x_1Mx1M", 3, [&] {
    double sum = 0;
    for (int c = 0; c < kColumns; ++c) sum += m::KsTwoSample(ref[c], cur[c]).statistic;
    return sum;
  });
  Time("psi_evidently_10cols_x_1Mx1M", 3, [&] {
    double sum = 0;
    for (int c = 0; c < kColumns; ++c) sum += PsiCold(ref[c], cur[c]);
    return sum;
  });
  Time("wasserstein_norm_10cols_x_1Mx1M", 3, [&] {
    double sum = 0;
    for (int c = 0; c < kColumns; ++c) sum += m::WassersteinNormalised(ref[c], cur[c]);
    return sum;
  });
  return 0;
}
