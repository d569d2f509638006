#pragma once
// Time and randomness behind small interfaces (style.md convention 5) so tests can inject
// deterministic fakes.

#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>

namespace ferry {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMillis() = 0;
  // Monotonic nanoseconds, for durations only.
  virtual int64_t MonotonicNanos() = 0;
};

// The real wall clock. Thread-safe.
Clock& SystemClock();

class Random {
 public:
  virtual ~Random() = default;
  virtual uint64_t Next64() = 0;
};

// A thread-safe Mersenne Twister (mt19937_64): reproducible given a seed (tests, sampling
// that must repeat), and the engine behind SystemRandom.
class SeededRandom : public Random {
 public:
  explicit SeededRandom(uint64_t seed);
  ~SeededRandom() override;
  // Random
  uint64_t Next64() override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A thread-safe random source seeded from the OS.
Random& SystemRandom();

// 32 lowercase hex characters from a version-4 UUID, MLflow's run id format.
std::string NewUuidHex(Random& random);

}  // namespace ferry
