#pragma once
// The 64-bit hash every profile sketch uses (HyperLogLog registers, frequent-item slots).
// Stable across runs and platforms: profiles encoded on one machine merge with profiles
// built on another.

#include <cstdint>
#include <string_view>

namespace ferry::monitoring {

// Hash of a double's canonical bits: -0.0 hashes as 0.0 (callers do not hash NaN).
uint64_t HashDouble(double value);
// Hash of a byte string.
uint64_t HashBytes(std::string_view bytes);
// A seeded 64-bit mixer (MurmurHash3's fmix64 of value ^ seed); also the sketches' coin.
uint64_t Mix64(uint64_t value);

}  // namespace ferry::monitoring
