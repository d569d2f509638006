// Two-sample KS: the statistic by one merge walk in integer form, and the p-value
// routing of scipy.stats.ks_2samp(method='auto'). The exact two-sample distributions are
// in ks_exact.cc, the one-sample Kolmogorov distributions in kolmogorov*.cc.

#include "monitoring/stats/ks.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "monitoring/stats/ks_internal.h"
#include "monitoring/stats/radix_sort.h"

namespace ferry::monitoring {
namespace {

// scipy's MAX_AUTO_N: above it 'auto' goes straight to the asymptotic distribution.
constexpr int64_t kMaxExactN = 10000;
// lcm(n1, n2) must stay exactly representable for the integer form.
constexpr double kMaxLcm = 9007199254740992.0;  // 2^53

double Lcm(int64_t n1, int64_t n2) {
  const int64_t g = std::gcd(n1, n2);
  return static_cast<double>(n1 / g) * static_cast<double>(n2);
}

double Clip01(double p) {
  if (std::isnan(p)) return 1;
  return std::clamp(p, 0.0, 1.0);
}

// kstwo.sf(d, round(m n / (m + n))), rounding half to even as numpy does.
double AsymptoticPValue(int64_t n1, int64_t n2, double d) {
  const double m = static_cast<double>(std::max(n1, n2));
  const double n = static_cast<double>(std::min(n1, n2));
  const double en = m * n / (m + n);
  const int64_t rounded = static_cast<int64_t>(std::nearbyint(en));
  return Clip01(KolmogorovExactSf(std::max<int64_t>(rounded, 1), d));
}

}  // namespace

int64_t KsStatisticTimesLcm(std::span<const double> x, std::span<const double> y) {
  const size_t n1 = x.size();
  const size_t n2 = y.size();
  if (n1 == 0 || n2 == 0) return 0;
  const int64_t g = std::gcd(static_cast<int64_t>(n1), static_cast<int64_t>(n2));
  const int64_t step_x = static_cast<int64_t>(n2) / g;  // one x value moves c1 n2/g
  const int64_t step_y = static_cast<int64_t>(n1) / g;
  size_t i = 0;
  size_t j = 0;
  int64_t diff = 0;
  int64_t h = 0;
  // Once one sample is used up the difference moves monotonically back to 0, so the
  // maximum has been seen.
  while (i < n1 && j < n2) {
    const double t = std::min(x[i], y[j]);
    if (std::isnan(t)) break;  // NaN has no place in the order: stop rather than spin
    while (i < n1 && x[i] == t) {
      diff += step_x;
      ++i;
    }
    while (j < n2 && y[j] == t) {
      diff -= step_y;
      ++j;
    }
    h = std::max(h, diff < 0 ? -diff : diff);
  }
  return h;
}

double KsPValueTimesLcm(int64_t n1, int64_t n2, int64_t h, bool* exact) {
  const bool use_exact = std::max(n1, n2) <= kMaxExactN;
  if (exact != nullptr) *exact = use_exact;
  if (n1 < 1 || n2 < 1 || h <= 0) return 1;
  if (use_exact) {
    const double p = KsExactPValue(n1, n2, h);
    if (p >= 0 && p <= 1) return p;
    // scipy falls back to the asymptotic distribution when the exact one fails.
    if (exact != nullptr) *exact = false;
  }
  return AsymptoticPValue(n1, n2, static_cast<double>(h) / Lcm(n1, n2));
}

double KsPValue(int64_t n1, int64_t n2, double d) {
  if (n1 < 1 || n2 < 1 || !(d > 0)) return 1;
  if (d >= 1) d = 1;
  const double lcm = Lcm(n1, n2);
  if (lcm > kMaxLcm) return AsymptoticPValue(n1, n2, d);
  return KsPValueTimesLcm(n1, n2, static_cast<int64_t>(std::llround(d * lcm)));
}

double KsExactPValue(int64_t n1, int64_t n2, int64_t h) {
  if (n1 < 1 || n2 < 1 || h <= 0) return 1;
  if (n1 == n2) return internal::ProbOutsideSquare(n1, h);
  return internal::ProbOutsideInside(n1, n2, h);
}

KsResult KsTwoSampleSorted(std::span<const double> x, std::span<const double> y) {
  KsResult out;
  if (x.empty() || y.empty()) return out;
  const auto n1 = static_cast<int64_t>(x.size());
  const auto n2 = static_cast<int64_t>(y.size());
  const int64_t h = KsStatisticTimesLcm(x, y);
  out.statistic = static_cast<double>(h) / Lcm(n1, n2);
  out.p_value = KsPValueTimesLcm(n1, n2, h, &out.exact);
  return out;
}

KsResult KsTwoSample(std::vector<double> x, std::vector<double> y) {
  std::erase_if(x, [](double v) { return std::isnan(v); });
  std::erase_if(y, [](double v) { return std::isnan(v); });
  SortDoubles(x);
  SortDoubles(y);
  return KsTwoSampleSorted(x, y);
}

double KsCriticalCoefficient(double alpha) {
  if (!(alpha > 0) || !(alpha < 2)) return 0;
  return std::sqrt(-0.5 * std::log(alpha / 2.0));
}

}  // namespace ferry::monitoring
