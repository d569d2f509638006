#pragma once
// What one loaded version (an "arm" of a deployment: its primary or its challenger) has
// served since it was loaded: requests, failed ones and the latency distribution. A version
// loaded again (a swap back, a reload) starts from zero, unlike the Prometheus series of
// ServingMetrics, which count per version string for the life of the process. Canary
// judgement compares the arms on these figures (GET /api/ferry/v1/deployments).
//
// Thread-safe: the request path only touches relaxed atomics.

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "common/bucket_quantile.h"

namespace ferry::serving {

struct ArmSnapshot {
  int64_t loaded_at_ms = 0;  // wall clock
  int64_t requests = 0;
  int64_t errors = 0;  // requests answered with an error (refused inputs, failed predictions)
  double p50_ms = 0;   // 0 until a request completed
  double p99_ms = 0;
  // The latency histogram: counts per bucket of Bounds() (one more, above the last bound).
  std::vector<uint64_t> latency_counts;
};

class ArmCounters {
 public:
  explicit ArmCounters(int64_t loaded_at_ms) : loaded_at_ms_(loaded_at_ms) {}
  void RecordRequest() { requests_.fetch_add(1, std::memory_order_relaxed); }
  void RecordError() { errors_.fetch_add(1, std::memory_order_relaxed); }
  void ObserveLatencyUs(int64_t us);
  ArmSnapshot Snapshot() const;

  // Geometric bucket bounds in microseconds (10 us .. 60 s, 10 % apart).
  static const std::vector<int64_t>& Bounds();

 private:
  static constexpr int kMaxBuckets = 192;
  const int64_t loaded_at_ms_;
  std::atomic<int64_t> requests_{0};
  std::atomic<int64_t> errors_{0};
  std::array<std::atomic<uint64_t>, kMaxBuckets> buckets_{};
};

}  // namespace ferry::serving
