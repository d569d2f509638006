// The exact (Durbin, Pomeranz) and asymptotic (Pelz-Good) evaluations of the one-sample
// Kolmogorov CDF P(D_n <= x) used by KolmogorovExactSf. Intermediate values are rescaled
// by 2^128 and the exponent carried separately, so nothing overflows or underflows.

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "monitoring/stats/ks_internal.h"

namespace ferry::monitoring::internal {
namespace {

constexpr int kScaleExp = 128;
const double kBig = std::ldexp(1.0, kScaleExp);
const double kSmall = std::ldexp(1.0, -kScaleExp);

// Dense square matrix, row-major.
struct Matrix {
  int m = 0;
  std::vector<double> a;
  explicit Matrix(int size) : m(size), a(static_cast<size_t>(size) * size, 0.0) {}
  double& at(int r, int c) { return a[static_cast<size_t>(r) * m + c]; }
  double at(int r, int c) const { return a[static_cast<size_t>(r) * m + c]; }
};

Matrix Multiply(const Matrix& x, const Matrix& y) {
  Matrix out(x.m);
  for (int r = 0; r < x.m; ++r) {
    for (int k = 0; k < x.m; ++k) {
      const double xv = x.at(r, k);
      if (xv == 0) continue;
      for (int c = 0; c < x.m; ++c) out.at(r, c) += xv * y.at(k, c);
    }
  }
  return out;
}

// Durbin's H matrix for d = (k - h)/n, m = 2k - 1.
Matrix DurbinMatrix(int k, double h) {
  const int m = 2 * k - 1;
  std::vector<double> v(m);
  std::vector<double> w(m);
  double fac = 1.0;
  for (int j = 1; j <= m; ++j) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1.0 - std::pow(h, j)) * fac;
  }
  const double tt = std::pow(std::max(2 * h - 1.0, 0.0), m) - 2 * std::pow(h, m);
  v[m - 1] = (1.0 + tt) * fac;
  Matrix hm(m);
  for (int i = 1; i < m; ++i) {
    for (int r = i - 1; r < m; ++r) hm.at(r, i) = w[r - (i - 1)];
  }
  for (int r = 0; r < m; ++r) hm.at(r, 0) = v[r];
  for (int c = 0; c < m; ++c) hm.at(m - 1, c) = v[m - 1 - c];
  return hm;
}

// Row bounds of Pomeranz's recursion for step i.
void PomeranzBounds(int64_t i, int64_t n, int64_t ll, int ceilf, int roundf, int64_t* j1,
                    int64_t* j2) {
  int64_t a;
  int64_t b;
  if (i == 0) {
    a = -ll - ceilf - 1;
    b = ll + ceilf - 1;
  } else {
    const int64_t half = (i + 1) / 2;
    if ((i + 1) % 2 == 0) {
      if (half == n + 1) {
        a = n - ll - ceilf - 1;
        b = n + ll + ceilf - 1;
      } else {
        a = half - 1 - ll - roundf - 1;
        b = half + ll - 1 + ceilf - 1;
      }
    } else {
      a = half - 1 - ll - 1;
      b = half + ll + roundf - 1;
    }
  }
  *j1 = std::max<int64_t>(a + 2, 0);
  *j2 = std::min(b, n);
}

// (scale / n)^m / m! for m < count.
std::vector<double> ScaledPowers(double ratio, int64_t count) {
  std::vector<double> p(static_cast<size_t>(count));
  p[0] = 1.0;
  for (int64_t m = 1; m < count; ++m) p[m] = p[m - 1] * ratio / static_cast<double>(m);
  return p;
}

}  // namespace

double KolmogorovCdfDurbin(int64_t n, double x) {
  if (x >= 1.0) return 1.0;
  const double nd = static_cast<double>(n) * x;
  if (nd <= 0.5) return 0.0;
  const int k = static_cast<int>(std::ceil(nd));
  const double h = k - nd;
  Matrix hm = DurbinMatrix(k, h);
  Matrix power(hm.m);
  for (int i = 0; i < hm.m; ++i) power.at(i, i) = 1.0;
  int64_t expnt = 0;
  int64_t h_expnt = 0;
  for (int64_t nn = n; nn > 0; nn /= 2) {
    if (nn % 2) {
      power = Multiply(power, hm);
      expnt += h_expnt;
    }
    hm = Multiply(hm, hm);
    h_expnt *= 2;
    if (std::abs(hm.at(k - 1, k - 1)) > kBig) {
      for (double& v : hm.a) v /= kBig;
      h_expnt += kScaleExp;
    }
  }
  double p = power.at(k - 1, k - 1);
  const double n_d = static_cast<double>(n);
  for (int64_t i = 1; i <= n; ++i) {
    p = static_cast<double>(i) * p / n_d;
    if (std::abs(p) < kSmall) {
      p *= kBig;
      expnt -= kScaleExp;
    }
  }
  if (expnt != 0) p = std::ldexp(p, static_cast<int>(expnt));
  return std::clamp(p, 0.0, 1.0);
}

double KolmogorovCdfPomeranz(int64_t n, double x) {
  const double nd = static_cast<double>(n);
  const double t = nd * x;
  const auto ll = static_cast<int64_t>(std::floor(t));
  const double f = t - static_cast<double>(ll);
  const double g = std::min(f, 1.0 - f);
  const int ceilf = f > 0 ? 1 : 0;
  const int roundf = f > 0.5 ? 1 : 0;
  const int64_t npwrs = 2 * (ll + 1);
  const std::vector<double> gpower = ScaledPowers(g / nd, npwrs);
  const std::vector<double> twogpower = ScaledPowers(2 * g / nd, npwrs);
  const std::vector<double> onem2gpower = ScaledPowers((1 - 2 * g) / nd, npwrs);
  std::vector<double> v0(static_cast<size_t>(npwrs), 0.0);
  std::vector<double> v1(static_cast<size_t>(npwrs), 0.0);
  v1[0] = 1.0;
  int64_t v0s = 0;
  int64_t v1s = 0;
  int64_t expnt = 0;
  int64_t j1;
  int64_t j2;
  PomeranzBounds(0, n, ll, ceilf, roundf, &j1, &j2);
  for (int64_t i = 1; i < 2 * n + 2; ++i) {
    const int64_t k1 = j1;
    std::swap(v0, v1);
    std::swap(v0s, v1s);
    std::fill(v1.begin(), v1.end(), 0.0);
    PomeranzBounds(i, n, ll, ceilf, roundf, &j1, &j2);
    const std::vector<double>& pwrs =
        (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 ? twogpower : onem2gpower);
    const int64_t len = j2 - k1 + 1;
    if (len <= 0) continue;
    // v1[c] = (v0[k1 - v0s ..] * pwrs)[j1 - k1 + c], the full convolution's window.
    const int64_t base = k1 - v0s;
    const int64_t start = j1 - k1;
    const int64_t count = j2 - j1 + 1;
    double max = 0;
    for (int64_t c = 0; c < count && c < npwrs; ++c) {
      const int64_t pos = start + c;
      double s = 0;
      for (int64_t a = std::max<int64_t>(0, pos - len + 1); a <= std::min(pos, len - 1); ++a) {
        const int64_t idx = base + a;
        if (idx >= 0 && idx < npwrs) s += v0[idx] * pwrs[pos - a];
      }
      v1[c] = s;
      max = std::max(max, s);
    }
    if (max > 0 && max < kSmall) {
      for (double& v : v1) v *= kBig;
      expnt -= kScaleExp;
    }
    v1s = v0s + j1 - k1;
  }
  const int64_t idx = n - v1s;
  double ans = (idx >= 0 && idx < npwrs) ? v1[idx] : 0.0;
  for (int64_t m = 1; m <= n; ++m) {
    if (std::abs(ans) > kBig) {
      ans *= kSmall;
      expnt += kScaleExp;
    }
    ans *= static_cast<double>(m);
  }
  if (expnt != 0) ans = std::ldexp(ans, static_cast<int>(expnt));
  return std::clamp(ans, 0.0, 1.0);
}

double KolmogorovCdfPelzGood(int64_t n, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  constexpr double kPi = std::numbers::pi;
  const double pi2 = kPi * kPi;
  const double pi4 = pi2 * pi2;
  const double pi6 = pi4 * pi2;
  const double sqrt2pi = std::sqrt(2 * kPi);
  const double nd = static_cast<double>(n);
  const double z = std::sqrt(nd) * x;
  const double z2 = z * z;
  const double z3 = z2 * z;
  const double z4 = z2 * z2;
  const double z6 = z4 * z2;
  const double qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0.0;
  double q = std::exp(qlog);
  const double k1a = -z2;
  const double k1b = pi2 / 4;
  const double k2a = 6 * z6 + 2 * z4;
  const double k2b = (2 * z4 - 5 * z2) * pi2 / 4;
  const double k2c = pi4 * (1 - 2 * z2) / 16;
  const double k3d = pi6 * (5 - 30 * z2) / 64;
  const double k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
  const double k3b = pi2 * (135 * z4 - 96 * z6) / 4;
  const double k3a = -30 * z6 - 90 * std::pow(z, 8);
  double k[4] = {0, 0, 0, 0};
  const int maxk = static_cast<int>(std::ceil(16 * z / kPi));
  // Horner scheme over the odd terms m = 2i - 1, q^(m^2) = q * (q^8)^(i(i-1)/2)...
  for (int i = maxk; i >= 1; --i) {
    const double m = 2.0 * i - 1;
    const double m2 = m * m;
    const double m4 = m2 * m2;
    const double m6 = m4 * m2;
    const double qpower = std::pow(q, 8.0 * i);
    const double coeffs[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                              k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (int c = 0; c < 4; ++c) k[c] = k[c] * qpower + coeffs[c];
  }
  const double denominators[4] = {z, 6 * z4, 72 * std::pow(z, 7), 6480 * std::pow(z, 10)};
  for (int c = 0; c < 4; ++c) k[c] = k[c] * q * sqrt2pi / denominators[c];
  // The sums over all integers for K2 and K3.
  q = std::exp(-pi2 / 2 / z2);
  double k2extra = 0;
  double k3extra = 0;
  const double sqrt3z = std::sqrt(3.0) * z;
  for (int i = maxk; i >= 1; --i) {
    const double id = i;
    const double i2 = id * id;
    const double qp = std::pow(q, i2);
    const double kspi = kPi * id;
    k2extra += i2 * qp;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * i2 * qp;
  }
  k[2] += k2extra * pi2 * sqrt2pi / (-36 * z3);
  k[3] += k3extra * pi2 * sqrt2pi / (216 * z6);
  double sum = 0;
  for (int c = 0; c < 4; ++c) sum += k[c] / std::pow(nd, c / 2.0);
  return sum;
}

}  // namespace ferry::monitoring::internal
