#include "monitoring/profile/hash.h"

#include <cstring>

namespace ferry::monitoring {
namespace {

constexpr uint64_t kSeed = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t kMul = 0xC2B2AE3D27D4EB4FULL;

uint64_t Load64(const char* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof(v));  // the machines Ferry targets are little-endian
  return v;
}

uint64_t Rotl(uint64_t v, int r) { return (v << r) | (v >> (64 - r)); }

}  // namespace

uint64_t HashLongBytes(std::string_view bytes) {
  uint64_t h = kSeed ^ (static_cast<uint64_t>(bytes.size()) * kMul);
  const char* p = bytes.data();
  size_t left = bytes.size();
  for (; left >= 8; p += 8, left -= 8) {
    h = Rotl(h ^ Mix64(Load64(p)), 27) * kMul + 0x52DCE729;
  }
  if (left > 0) {
    uint64_t tail = 0;
    std::memcpy(&tail, p, left);
    h = Rotl(h ^ Mix64(tail ^ (static_cast<uint64_t>(left) << 56)), 31) * kMul;
  }
  return Mix64(h);
}

}  // namespace ferry::monitoring
