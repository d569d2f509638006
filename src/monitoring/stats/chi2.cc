#include "monitoring/stats/chi2.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace ferry::monitoring {
namespace {

inline double Clean(double v) { return std::isfinite(v) && v > 0 ? v : 0.0; }

inline double At(std::span<const double> s, size_t i) { return i < s.size() ? Clean(s[i]) : 0; }

}  // namespace

double NormalTwoSidedP(double z) {
  if (std::isnan(z)) return 1;
  return std::erfc(std::abs(z) / std::numbers::sqrt2);
}

TestResult ChiSquaredHomogeneity(std::span<const double> ref_counts,
                                 std::span<const double> cur_counts, bool yates) {
  const size_t k = std::max(ref_counts.size(), cur_counts.size());
  std::vector<double> ref;
  std::vector<double> cur;
  double ref_total = 0;
  double cur_total = 0;
  for (size_t i = 0; i < k; ++i) {
    const double r = At(ref_counts, i);
    const double c = At(cur_counts, i);
    if (r + c == 0) continue;  // a category nobody saw carries no information
    ref.push_back(r);
    cur.push_back(c);
    ref_total += r;
    cur_total += c;
  }
  TestResult out;
  out.df = ref.empty() ? 0 : static_cast<double>(ref.size() - 1);
  if (ref.size() < 2 || ref_total == 0 || cur_total == 0) return out;
  const double total = ref_total + cur_total;
  const bool correct = yates && ref.size() == 2;
  double chi2 = 0;
  auto add = [&](double observed, double expected) {
    double diff = expected - observed;
    if (correct) {
      const double magnitude = std::min(0.5, std::abs(diff));
      observed += diff > 0 ? magnitude : (diff < 0 ? -magnitude : 0);
      diff = expected - observed;
    }
    chi2 += diff * diff / expected;
  };
  for (size_t i = 0; i < ref.size(); ++i) {
    const double column = ref[i] + cur[i];
    add(ref[i], ref_total * column / total);
    add(cur[i], cur_total * column / total);
  }
  out.statistic = chi2;
  out.p_value = ChiSquaredSf(chi2, out.df);
  return out;
}

TestResult ChiSquaredGoodnessOfFit(std::span<const double> ref_counts,
                                   std::span<const double> cur_counts) {
  const size_t k = std::max(ref_counts.size(), cur_counts.size());
  TestResult out;
  out.df = k == 0 ? 0 : static_cast<double>(k - 1);
  double ref_total = 0;
  double cur_total = 0;
  for (size_t i = 0; i < k; ++i) {
    ref_total += At(ref_counts, i);
    cur_total += At(cur_counts, i);
  }
  if (k < 2 || ref_total == 0 || cur_total == 0) return out;
  const double scale = cur_total / ref_total;  // Evidently's k_norm
  double chi2 = 0;
  for (size_t i = 0; i < k; ++i) {
    const double expected = At(ref_counts, i) * scale;
    const double observed = At(cur_counts, i);
    if (expected == 0) {
      if (observed > 0) chi2 = std::numeric_limits<double>::infinity();
      continue;
    }
    const double diff = observed - expected;
    chi2 += diff * diff / expected;
  }
  out.statistic = chi2;
  out.p_value = ChiSquaredSf(chi2, out.df);
  return out;
}

TestResult ZTestProportions(double successes1, double n1, double successes2, double n2) {
  TestResult out;
  if (!(n1 > 0) || !(n2 > 0) || !std::isfinite(n1) || !std::isfinite(n2)) return out;
  // Evidently's proportions_diff_z_stat_ind, operation for operation.
  const double p1 = successes1 / n1;
  const double p2 = successes2 / n2;
  const double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const double variance = pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2);
  if (!(variance > 0) || !std::isfinite(variance)) return out;
  out.statistic = (p1 - p2) / std::sqrt(variance);
  out.p_value = NormalTwoSidedP(out.statistic);
  return out;
}

}  // namespace ferry::monitoring
