#include "common/bucket_quantile.h"

#include <algorithm>

namespace ferry {

double BucketQuantile(const std::vector<int64_t>& bounds, const std::vector<uint64_t>& counts,
                      double q) {
  uint64_t total = 0;
  for (uint64_t c : counts) total += c;
  if (total == 0 || bounds.empty()) return 0;
  const double rank = q * static_cast<double>(total);
  uint64_t below = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0 || static_cast<double>(below + counts[i]) < rank) {
      below += counts[i];
      continue;
    }
    if (i >= bounds.size()) return static_cast<double>(bounds.back());
    const double lo = i == 0 ? 0.0 : static_cast<double>(bounds[i - 1]);
    const double hi = static_cast<double>(bounds[i]);
    const double fraction = (rank - static_cast<double>(below)) / static_cast<double>(counts[i]);
    return lo + (hi - lo) * std::clamp(fraction, 0.0, 1.0);
  }
  return static_cast<double>(bounds.back());
}

}  // namespace ferry
