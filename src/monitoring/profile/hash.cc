#include "monitoring/profile/hash.h"

namespace ferry::monitoring {
namespace {

constexpr uint64_t kSeed = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t kMul = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kMul2 = 0x165667B19E3779F9ULL;

uint64_t Load64(const char* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof(v));  // fixed size: a single load (little-endian hosts)
  return v;
}

uint64_t Rotl(uint64_t v, int r) { return (v << r) | (v >> (64 - r)); }

}  // namespace

// Multiply-rotate over 8-byte words; the last word is the input's last 8 bytes (overlapping
// the previous one when the length is not a multiple of 8), so there is no byte-wise tail;
// fmix64 at the end gives full avalanche.
uint64_t HashLongBytes(std::string_view bytes) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  uint64_t h = kSeed ^ (static_cast<uint64_t>(bytes.size()) * kMul);
  for (; end - p > 8; p += 8) h = Rotl((h ^ Load64(p)) * kMul, 29);
  h = (h ^ Load64(end - 8)) * kMul2;
  return Mix64(h);
}

}  // namespace ferry::monitoring
