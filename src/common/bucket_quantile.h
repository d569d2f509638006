#pragma once
// Quantiles of a bucketed histogram (latencies), as Prometheus' histogram_quantile computes
// them.

#include <cstdint>
#include <vector>

namespace ferry {

// The q-quantile (0 < q <= 1) of a histogram: `counts[i]` observations in (bounds[i-1],
// bounds[i]] (counts has one more entry, above the last bound), interpolated linearly inside
// the bucket as Prometheus' histogram_quantile does; the last bound for the overflow bucket.
// 0 for an empty histogram.
double BucketQuantile(const std::vector<int64_t>& bounds, const std::vector<uint64_t>& counts,
                      double q);

}  // namespace ferry
