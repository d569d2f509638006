#pragma once
// The one fake Clock for every test in the tree (a seeded Random is common/clock.h's
// SeededRandom). Test-only: nothing in
// src/ outside tests and testing/ folders includes it.

#include <atomic>
#include <cstdint>

#include "common/clock.h"

namespace ferry::testing {

// A clock that moves only when told. Monotonic time starts at `start_nanos`; wall time is
// 2023-11-14T22:13:20Z (1700000000000 ms) plus the monotonic time. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t start_nanos = 1000000000) : nanos_(start_nanos) {}

  // Clock
  int64_t NowMillis() override { return 1700000000000 + nanos_.load() / 1000000; }
  int64_t MonotonicNanos() override { return nanos_.load(); }

  void AdvanceMillis(int64_t ms) { nanos_ += ms * 1000000; }
  void AdvanceNanos(int64_t ns) { nanos_ += ns; }

 private:
  std::atomic<int64_t> nanos_;
};
}  // namespace ferry::testing
