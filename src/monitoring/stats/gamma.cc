// Regularised incomplete gamma functions. The prefix x^a e^-x / Gamma(a) is computed in
// Stirling form for large a, so that it has no cancellation between a ln x and
// lgamma(a); P by its power series below a + 1, Q by Lentz's continued fraction above.

#include <cmath>
#include <limits>
#include <numbers>

#include "monitoring/stats/chi2.h"

namespace ferry::monitoring {
namespace {

constexpr double kEps = 1e-16;
constexpr int kMaxIterations = 100000;

// log(1 + d) - d without cancellation for small |d|.
double Log1pMinusX(double d) {
  if (std::abs(d) > 0.25) return std::log1p(d) - d;
  // -d^2/2 + d^3/3 - d^4/4 + ...
  double term = d;
  double sum = 0;
  for (int k = 2; k < 200; ++k) {
    term *= -d;
    const double add = term / k;
    sum += add;
    if (std::abs(add) <= std::abs(sum) * kEps) break;
  }
  return sum;
}

// lgamma(a) - ((a - 1/2) ln a - a + ln(2 pi)/2) for a >= 10 (Stirling series).
double StirlingCorrection(double a) {
  const double r = 1.0 / a;
  const double r2 = r * r;
  return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))));
}

// x^a e^-x / Gamma(a), for a > 0 and x > 0.
double Prefix(double a, double x) {
  if (a < 10) return std::exp(-x + a * std::log(x) - std::lgamma(a));
  // a ln x - x - lgamma(a) = a (ln(1+d) - d) + ln(a)/2 - ln(2 pi)/2 - corr, d = (x-a)/a
  const double d = (x - a) / a;
  const double log_prefix = a * Log1pMinusX(d) + 0.5 * std::log(a) -
                            0.5 * std::log(2 * std::numbers::pi) - StirlingCorrection(a);
  return std::exp(log_prefix);
}

// P(a, x) by its power series; use for x < a + 1.
double SeriesP(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  for (int n = 1; n < kMaxIterations; ++n) {
    term *= x / (a + n);
    sum += term;
    if (term < sum * kEps) break;
  }
  return Prefix(a, x) * sum;
}

// Q(a, x) by the modified Lentz continued fraction; use for x >= a + 1.
double ContinuedFractionQ(double a, double x) {
  constexpr double kTiny = 1e-300;
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::abs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1.0) < kEps) break;
  }
  return Prefix(a, x) * h;
}

double Clamp01(double p) { return p < 0 ? 0 : (p > 1 ? 1 : p); }

}  // namespace

double GammaP(double a, double x) {
  if (std::isnan(a) || std::isnan(x) || a <= 0 || x <= 0) return (a <= 0 && x > 0) ? 1 : 0;
  if (std::isinf(x)) return 1;
  if (x < a + 1) return Clamp01(SeriesP(a, x));
  return Clamp01(1.0 - ContinuedFractionQ(a, x));
}

double GammaQ(double a, double x) {
  if (std::isnan(a) || std::isnan(x)) return 1;
  if (x <= 0) return 1;
  if (a <= 0) return 0;
  if (std::isinf(x)) return 0;
  if (x < a + 1) return Clamp01(1.0 - SeriesP(a, x));
  return Clamp01(ContinuedFractionQ(a, x));
}

double ChiSquaredSf(double x, double df) {
  if (std::isnan(x) || x <= 0) return 1;
  if (std::isinf(x)) return 0;
  if (std::isnan(df) || df <= 0) return 0;
  return GammaQ(df / 2.0, x / 2.0);
}

}  // namespace ferry::monitoring
