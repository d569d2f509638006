#pragma once
// The 64-bit hash every profile sketch uses (HyperLogLog registers, frequent-item slots).
// Stable across runs and platforms: profiles encoded on one machine merge with profiles
// built on another.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ferry::monitoring {

// A 64-bit mixer (MurmurHash3's fmix64, a bijection); also the sketches' coin.
inline uint64_t Mix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xFF51AFD7ED558CCDULL;
  k ^= k >> 33;
  k *= 0xC4CEB9FE1A85EC53ULL;
  k ^= k >> 33;
  return k;
}

// Hash of a double's canonical bits: -0.0 hashes as 0.0 (callers do not hash NaN).
inline uint64_t HashDouble(double value) {
  if (value == 0.0) value = 0.0;  // -0.0 == 0.0
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(bits));
  return Mix64(bits ^ 0x9E3779B97F4A7C15ULL);
}

// Bytes.size() > 8.
uint64_t HashLongBytes(std::string_view bytes);

// Hash of a byte string. Up to 8 bytes (the common case of categories and integers as
// frequent items): one mix of the bytes and the length, inline.
inline uint64_t HashBytes(std::string_view bytes) {
  if (bytes.size() > 8) return HashLongBytes(bytes);
  uint64_t v = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    v |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  }
  return Mix64(v ^ Mix64(0x9E3779B97F4A7C15ULL + bytes.size()));
}

}  // namespace ferry::monitoring
