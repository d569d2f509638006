#include "common/clock.h"

#include <chrono>
#include <mutex>
#include <random>

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

}  // namespace

Clock& SystemClock() {
  static SystemClockImpl* clock = new SystemClockImpl();
  return *clock;
}

struct SeededRandom::State {
  std::mutex mu;
  std::mt19937_64 engine;
};

SeededRandom::SeededRandom(uint64_t seed) : state_(new State{{}, std::mt19937_64(seed)}) {}
SeededRandom::~SeededRandom() = default;

uint64_t SeededRandom::Next64() {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->engine();
}

Random& SystemRandom() {
  static SeededRandom* random = new SeededRandom(std::random_device{}());
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
