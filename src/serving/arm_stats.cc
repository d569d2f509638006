#include "serving/arm_stats.h"

#include <algorithm>
#include <cmath>

namespace ferry::serving {

const std::vector<int64_t>& ArmCounters::Bounds() {
  static const std::vector<int64_t> kBounds = [] {
    std::vector<int64_t> b;
    double v = 10;
    while (v <= 60e6 && b.size() + 1 < kMaxBuckets) {
      const auto bound = static_cast<int64_t>(std::llround(v));
      if (b.empty() || bound > b.back()) b.push_back(bound);
      v *= 1.1;
    }
    return b;
  }();
  return kBounds;
}

void ArmCounters::ObserveLatencyUs(int64_t us) {
  const std::vector<int64_t>& bounds = Bounds();
  const size_t i = std::lower_bound(bounds.begin(), bounds.end(), us) - bounds.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
}

ArmSnapshot ArmCounters::Snapshot() const {
  ArmSnapshot s;
  s.loaded_at_ms = loaded_at_ms_;
  s.requests = requests_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  const std::vector<int64_t>& bounds = Bounds();
  std::vector<uint64_t> counts(bounds.size() + 1);
  for (size_t i = 0; i < counts.size(); ++i) {
    counts[i] = buckets_[i].load(std::memory_order_relaxed);
  }
  s.p50_ms = BucketQuantile(bounds, counts, 0.50) / 1000.0;
  s.p99_ms = BucketQuantile(bounds, counts, 0.99) / 1000.0;
  s.latency_counts = std::move(counts);
  return s;
}

}  // namespace ferry::serving
