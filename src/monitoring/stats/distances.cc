#include "monitoring/stats/distances.h"

#include <algorithm>
#include <cmath>

#include "monitoring/stats/binning.h"

namespace ferry::monitoring {
namespace {

// Two binned distributions as proportions of their own totals, padded to one length.
// `ok` is false when either side has no mass (or there are no bins).
struct Normalised {
  std::vector<double> p;
  std::vector<double> q;
  bool ok = false;
};

inline double Clean(double v) { return std::isfinite(v) && v > 0 ? v : 0.0; }

std::vector<double> Proportions(std::span<const double> counts, size_t size, double* total) {
  std::vector<double> out(size, 0.0);
  double sum = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    out[i] = Clean(counts[i]);
    sum += out[i];
  }
  *total = sum;
  if (sum > 0) {
    for (double& v : out) v /= sum;
  }
  return out;
}

Normalised Normalise(std::span<const double> a, std::span<const double> b) {
  Normalised n;
  const size_t size = std::max(a.size(), b.size());
  double ta = 0;
  double tb = 0;
  n.p = Proportions(a, size, &ta);
  n.q = Proportions(b, size, &tb);
  n.ok = size > 0 && ta > 0 && tb > 0 && std::isfinite(ta) && std::isfinite(tb);
  return n;
}

// scipy.special.rel_entr for x, y >= 0 with x > 0 => y > 0 (guaranteed by callers).
inline double RelEntr(double x, double y) { return x > 0 ? x * std::log(x / y) : 0.0; }

}  // namespace

double Psi(std::span<const double> ref, std::span<const double> cur) {
  Normalised n = Normalise(ref, cur);
  if (!n.ok) return 0;
  const std::vector<double> r = ZeroFill(std::move(n.p));
  const std::vector<double> c = ZeroFill(std::move(n.q));
  double psi = 0;
  for (size_t i = 0; i < r.size(); ++i) psi += (r[i] - c[i]) * std::log(r[i] / c[i]);
  return std::max(psi, 0.0);
}

double KlDivergence(std::span<const double> ref, std::span<const double> cur) {
  Normalised n = Normalise(ref, cur);
  if (!n.ok) return 0;
  // scipy.stats.entropy renormalises its arguments, so the filled vectors are rescaled.
  Normalised filled = Normalise(ZeroFill(std::move(n.p)), ZeroFill(std::move(n.q)));
  double kl = 0;
  for (size_t i = 0; i < filled.p.size(); ++i) kl += RelEntr(filled.p[i], filled.q[i]);
  return std::max(kl, 0.0);
}

double JensenShannonDistance(std::span<const double> p, std::span<const double> q, double base) {
  Normalised n = Normalise(p, q);
  if (!n.ok) return 0;
  double left = 0;
  double right = 0;
  for (size_t i = 0; i < n.p.size(); ++i) {
    const double m = (n.p[i] + n.q[i]) / 2.0;
    left += RelEntr(n.p[i], m);
    right += RelEntr(n.q[i], m);
  }
  double js = left + right;
  if (base > 0 && base != 1 && std::isfinite(base)) js /= std::log(base);
  return std::sqrt(std::max(js / 2.0, 0.0));
}

double Hellinger(std::span<const double> p, std::span<const double> q) {
  Normalised n = Normalise(p, q);
  if (!n.ok) return 0;
  double sum = 0;
  for (size_t i = 0; i < n.p.size(); ++i) {
    const double d = std::sqrt(n.p[i]) - std::sqrt(n.q[i]);
    sum += d * d;
  }
  return std::min(std::sqrt(sum) / std::sqrt(2.0), 1.0);
}

double LInfinity(std::span<const double> p, std::span<const double> q) {
  Normalised n = Normalise(p, q);
  if (!n.ok) return 0;
  double max = 0;
  for (size_t i = 0; i < n.p.size(); ++i) max = std::max(max, std::abs(n.p[i] - n.q[i]));
  return max;
}

}  // namespace ferry::monitoring
