// Kolmogorov distributions: the limiting Q(lambda), the one-sided Smirnov sum, and the
// exact one-sample two-sided survival function with Simard & L'Ecuyer's branch selection
// as scipy.stats.kstwo applies it (reference monitoring.md section 7.2). The matrix and
// recursion methods are in kolmogorov_cdf.cc.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "monitoring/stats/ks.h"
#include "monitoring/stats/ks_internal.h"

namespace ferry::monitoring {
namespace {

constexpr double kRelTol = std::numeric_limits<double>::epsilon();
constexpr double kMinLog = -708.3964185322641;  // log(DBL_MIN)
constexpr int64_t kSmirnovMaxN = 1000000;

double Clip01(double p) {
  if (std::isnan(p)) return 1;
  return std::clamp(p, 0.0, 1.0);
}

// Ruben-Gambino: P(D_n <= x) = n!/n^n (2t - 1)^n for 1/2 < t = n x <= 1.
double RubenGambinoCdf(int64_t n, double t) {
  const double base = 2 * t - 1;
  const double nd = static_cast<double>(n);
  if (n <= 140) {
    double prob = 1.0;
    for (int64_t i = 1; i <= n; ++i) prob *= static_cast<double>(i) * (1.0 / nd) * base;
    return prob;
  }
  const double log_fact_over_pow = std::lgamma(nd + 1.0) - nd * std::log(nd);
  return std::exp(log_fact_over_pow + nd * std::log(base));
}

// Branch of KolmogorovExactSf for n > 140 once the closed forms are ruled out.
double LargeNSf(int64_t n, double x, double nx2) {
  if (nx2 >= 370.0) return 0.0;
  if (nx2 >= 2.2) return Clip01(2 * SmirnovSf(n, x));
  double cdf;
  if (n <= 100000 && static_cast<double>(n) * std::pow(x, 1.5) <= 1.4) {
    cdf = internal::KolmogorovCdfDurbin(n, x);
  } else {
    cdf = internal::KolmogorovCdfPelzGood(n, x);
  }
  return Clip01(1.0 - cdf);
}

}  // namespace

double KolmogorovSf(double lambda) {
  if (std::isnan(lambda) || lambda <= 0) return 1.0;
  if (lambda >= 1.0) {
    // Q = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 lambda^2): fast for lambda >= 1.
    const double alpha = -2.0 * lambda * lambda;
    double sum = 0;
    double sign = 1;
    for (double k = 1; k < 1000; k += 1) {
      const double term = std::exp(alpha * k * k);
      sum += sign * term;
      if (term == 0.0 || term / sum <= kRelTol) break;
      sign = -sign;
    }
    return Clip01(2 * sum);
  }
  // CDF = sqrt(2 pi)/lambda sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 lambda^2)).
  const double alpha = -std::numbers::pi * std::numbers::pi / (8 * lambda * lambda);
  double sum = 0;
  for (double r = 1; r < 1000; r += 2) {
    const double term = std::exp(alpha * r * r);
    sum += term;
    if (term == 0.0 || term / sum < kRelTol) break;
  }
  return Clip01(1.0 - sum * std::sqrt(2 * std::numbers::pi) / lambda);
}

double SmirnovSf(int64_t n, double x) {
  if (n < 1 || std::isnan(x) || x <= 0) return 1.0;
  if (x >= 1) return 0.0;
  const double nd = static_cast<double>(n);
  // As scipy.special.smirnov: 0 once exp(-2 n x^2) underflows, and above a million
  // observations the approximation exp(-(6nx + 1)^2 / (18n)) instead of the sum.
  if (-2 * nd * x * x < kMinLog) return 0.0;
  if (n > kSmirnovMaxN) return Clip01(std::exp(-std::pow(6 * nd * x + 1, 2) / 18.0 / nd));
  // Birnbaum-Tingey: x sum_{j=0}^{floor(n(1-x))} C(n,j) (x + j/n)^(j-1) (1 - x - j/n)^(n-j),
  // each term in log space with log C(n, j) carried incrementally. The terms rise to one
  // peak and fall; the sum stops once the terms left cannot move it (scipy's rule).
  const auto last = static_cast<int64_t>(std::floor(nd * (1.0 - x)));
  const double terms = static_cast<double>(last + 1);
  double log_binom = 0;
  double sum = 0;
  for (int64_t j = 0; j <= last; ++j) {
    const double jd = static_cast<double>(j);
    const double evn = x + jd / nd;
    const double omevn = 1.0 - evn;
    double term = 0;
    if (omevn > 0) {
      const double log_term = log_binom + (jd - 1) * std::log(evn) + (nd - jd) * std::log(omevn);
      if (log_term > -745) term = std::exp(log_term);
    }
    sum += term;
    if (term > 0 && 4 * (terms - jd) * term < kRelTol * sum && j != last) break;
    log_binom += std::log((nd - jd) / (jd + 1));
  }
  return Clip01(sum * x);
}

double KolmogorovExactSf(int64_t n, double x) {
  if (n < 1 || std::isnan(x) || x <= 0) return 1.0;
  if (x >= 1) return 0.0;
  const double nd = static_cast<double>(n);
  const double t = nd * x;
  if (t <= 1.0) {
    if (t <= 0.5) return 1.0;
    return Clip01(1.0 - RubenGambinoCdf(n, t));
  }
  if (t >= nd - 1) return Clip01(2 * std::pow(1.0 - x, nd));
  if (x >= 0.5) return Clip01(2 * SmirnovSf(n, x));
  const double nx2 = t * x;
  if (n > 140) return LargeNSf(n, x, nx2);
  if (nx2 <= 0.754693) return Clip01(1.0 - internal::KolmogorovCdfDurbin(n, x));
  if (nx2 <= 4) return Clip01(1.0 - internal::KolmogorovCdfPomeranz(n, x));
  return Clip01(2 * SmirnovSf(n, x));
}

}  // namespace ferry::monitoring
