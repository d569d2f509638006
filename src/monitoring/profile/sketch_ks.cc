#include "monitoring/profile/sketch_ks.h"

#include <cmath>
#include <string>

namespace ferry::monitoring {

double KsCoefficient(double alpha) { return std::sqrt(-0.5 * std::log(0.5 * alpha)); }

// Walks both sorted views in step; after each distinct value both CDFs are exact for the
// sketches, so the largest gap over the union of retained items is found.
double SketchKsStatistic(const KllSketch& ref, const KllSketch& cur) {
  if (ref.empty() || cur.empty()) return 0.0;
  const KllSortedView a = ref.View();
  const KllSortedView b = cur.View();
  const double na = static_cast<double>(a.n), nb = static_cast<double>(b.n);
  size_t i = 0, j = 0;
  double d = 0.0;
  while (i < a.items.size() || j < b.items.size()) {
    double x;
    if (j == b.items.size() || (i < a.items.size() && a.items[i] <= b.items[j])) {
      x = a.items[i];
    } else {
      x = b.items[j];
    }
    while (i < a.items.size() && a.items[i] == x) ++i;
    while (j < b.items.size() && b.items[j] == x) ++j;
    const double fa = i == 0 ? 0.0 : static_cast<double>(a.cumulative[i - 1]) / na;
    const double fb = j == 0 ? 0.0 : static_cast<double>(b.cumulative[j - 1]) / nb;
    d = std::max(d, std::fabs(fa - fb));
  }
  return d;
}

absl::StatusOr<SketchKsResult> SketchKs(const KllSketch& ref, const KllSketch& cur, double alpha) {
  if (!(alpha > 0.0 && alpha < 1.0)) {
    return absl::InvalidArgumentError("sketch KS: alpha must be in (0, 1), got " +
                                      std::to_string(alpha));
  }
  SketchKsResult r;
  if (ref.empty() || cur.empty()) return r;
  r.comparable = true;
  r.statistic = SketchKsStatistic(ref, cur);
  const double r1 = ref.num_retained(), r2 = cur.num_retained();
  r.threshold = KsCoefficient(alpha) * std::sqrt((r1 + r2) / (r1 * r2)) +
                ref.NormalizedRankError(false) + cur.NormalizedRankError(false);
  r.drift = r.statistic > r.threshold;
  return r;
}

}  // namespace ferry::monitoring
