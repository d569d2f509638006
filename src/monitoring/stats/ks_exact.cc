// Exact two-sample two-sided KS distributions (reference monitoring.md section 7.1).

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "monitoring/stats/ks_internal.h"

namespace ferry::monitoring::internal {

double ProbOutsideSquare(int64_t n, int64_t h) {
  // P = 2 sum_{k>=1} (-1)^(k-1) C(2n, n-kh) / C(2n, n), folded Horner-style from the
  // smallest term: P_k = A_k (1 - P_{k+1}), each A_k a product of h ratios below 1.
  double p = 0.0;
  const double nd = static_cast<double>(n);
  for (int64_t k = n / h; k >= 0; --k) {
    double p1 = 1.0;
    const double kh = static_cast<double>(k * h);
    for (int64_t j = 0; j < h; ++j) {
      const double jd = static_cast<double>(j);
      p1 = (nd - kh - jd) * p1 / (nd + kh + jd + 1.0);
    }
    p = p1 * (1.0 - p);
  }
  return 2.0 * p;
}

double ProbOutsideInside(int64_t m, int64_t n, int64_t h) {
  if (m < n) std::swap(m, n);
  const int64_t g = std::gcd(m, n);
  const int64_t mg = m / g;
  const int64_t ng = n / g;
  // Column i of the lattice keeps the rows j with |ng i - mg j| < h, a sliding window
  // [min_j, max_j). a[jj] holds, for row min_j + jj, the probability that a random path
  // to (i, j) has already left the band; rows above the window hold 1 (left), so every
  // slot past the window's length is kept at 1.
  std::vector<double> a(static_cast<size_t>(n) + 2, 1.0);
  auto ceil_div = [](int64_t num, int64_t den) {
    return num >= 0 ? (num + den - 1) / den : -((-num) / den);
  };
  auto floor_div = [](int64_t num, int64_t den) {
    return num >= 0 ? num / den : -((-num + den - 1) / den);
  };
  int64_t min_j = 0;
  int64_t max_j = std::min(ceil_div(h, mg), n + 1);
  int64_t cur_len = max_j - min_j;
  std::fill(a.begin(), a.begin() + max_j, 0.0);
  for (int64_t i = 1; i <= m; ++i) {
    const int64_t last_min_j = min_j;
    const int64_t last_len = cur_len;
    min_j = std::min(std::max(floor_div(ng * i - h, mg) + 1, int64_t{0}), n);
    max_j = std::min(ceil_div(ng * i + h, mg), n + 1);
    if (max_j <= min_j) return 1.0;
    const double id = static_cast<double>(i);
    double val = min_j == 0 ? 0.0 : 1.0;  // the cell below the window has left the band
    for (int64_t jj = 0; jj < max_j - min_j; ++jj) {
      const int64_t j = jj + min_j;
      const double jd = static_cast<double>(j);
      val = (a[static_cast<size_t>(jj + min_j - last_min_j)] * id + val * jd) / (id + jd);
      a[static_cast<size_t>(jj)] = val;
    }
    cur_len = max_j - min_j;
    if (last_len > cur_len) {
      std::fill(a.begin() + cur_len, a.begin() + last_len, 1.0);
    }
  }
  return a[static_cast<size_t>(max_j - min_j - 1)];
}

}  // namespace ferry::monitoring::internal
