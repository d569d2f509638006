#include "common/clock.h"

#include <chrono>

#include "common/strings.h"

namespace ferry {
namespace {

class SystemClockImpl : public Clock {
 public:
  // Clock
  int64_t NowMillis() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  int64_t MonotonicNanos() override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
};

class SystemRandomImpl : public Random {
 public:
  SystemRandomImpl() : engine_(std::random_device{}()) {}
  // Random
  uint64_t Next64() override {
    std::lock_guard<std::mutex> lock(mu_);
    return engine_();
  }

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

}  // namespace

Clock& SystemClock() {
  static SystemClockImpl* clock = new SystemClockImpl();
  return *clock;
}

Random& SystemRandom() {
  static SystemRandomImpl* random = new SystemRandomImpl();
  return *random;
}

std::string NewUuidHex(Random& random) {
  uint64_t hi = random.Next64();
  uint64_t lo = random.Next64();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;              // version 4
  lo = (lo & ~(0xC0ULL << 56)) | (0x80ULL << 56);  // variant 10
  std::string bytes(16, '\0');
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<char>(hi >> (56 - 8 * i));
    bytes[8 + i] = static_cast<char>(lo >> (56 - 8 * i));
  }
  return HexEncode(bytes);
}

}  // namespace ferry
