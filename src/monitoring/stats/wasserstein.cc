// Wasserstein-1 by one merge walk over the two sorted samples; the empirical CDF
// difference between consecutive pooled values is an exact integer over n_u * n_v.

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "monitoring/stats/distances.h"
#include "monitoring/stats/radix_sort.h"

namespace ferry::monitoring {
namespace {

// Kahan-Neumaier compensated sum.
struct CompensatedSum {
  double sum = 0;
  double carry = 0;
  void Add(double x) {
    const double t = sum + x;
    carry += std::abs(sum) >= std::abs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }
  double Value() const { return sum + carry; }
};

void DropNaN(std::vector<double>& values) {
  std::erase_if(values, [](double x) { return std::isnan(x); });
}

}  // namespace

double Wasserstein1Sorted(std::span<const double> u, std::span<const double> v) {
  const size_t nu = u.size();
  const size_t nv = v.size();
  if (nu == 0 || nv == 0) return 0;
  const int64_t wu = static_cast<int64_t>(nv);  // weight of one u value: n_v
  const int64_t wv = static_cast<int64_t>(nu);
  size_t i = 0;
  size_t j = 0;
  int64_t diff = 0;  // c_u * n_v - c_v * n_u
  CompensatedSum total;
  double t = std::min(u[0], v[0]);
  while (i < nu || j < nv) {
    if (std::isnan(t)) break;  // NaN has no place in the order: stop rather than spin
    while (i < nu && u[i] == t) {
      diff += wu;
      ++i;
    }
    while (j < nv && v[j] == t) {
      diff -= wv;
      ++j;
    }
    if (i == nu && j == nv) break;
    const double next = (i == nu) ? v[j] : (j == nv) ? u[i] : std::min(u[i], v[j]);
    if (std::isnan(next)) break;
    if (diff != 0) total.Add(static_cast<double>(diff < 0 ? -diff : diff) * (next - t));
    t = next;
  }
  return total.Value() / (static_cast<double>(nu) * static_cast<double>(nv));
}

double Wasserstein1(std::vector<double> u, std::vector<double> v) {
  DropNaN(u);
  DropNaN(v);
  SortDoubles(u);
  SortDoubles(v);
  return Wasserstein1Sorted(u, v);
}

double PopulationStd(std::span<const double> values) {
  if (values.empty()) return 0;
  CompensatedSum sum;
  for (double x : values) sum.Add(x);
  const double mean = sum.Value() / static_cast<double>(values.size());
  CompensatedSum squares;
  for (double x : values) squares.Add((x - mean) * (x - mean));
  return std::sqrt(squares.Value() / static_cast<double>(values.size()));
}

double WassersteinNormalisedSorted(std::span<const double> ref_sorted,
                                   std::span<const double> cur_sorted) {
  if (ref_sorted.empty() || cur_sorted.empty()) return 0;
  const double norm = std::max(PopulationStd(ref_sorted), 0.001);
  return Wasserstein1Sorted(ref_sorted, cur_sorted) / norm;
}

double WassersteinNormalised(std::vector<double> ref, std::vector<double> cur) {
  DropNaN(ref);
  DropNaN(cur);
  SortDoubles(ref);
  SortDoubles(cur);
  return WassersteinNormalisedSorted(ref, cur);
}

}  // namespace ferry::monitoring
