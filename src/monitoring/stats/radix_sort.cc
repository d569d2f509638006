#include "monitoring/stats/radix_sort.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <memory>
#include <vector>

namespace ferry::monitoring {
namespace {

constexpr int kDigitBits = 11;
constexpr int kPasses = 6;  // 6 x 11 = 66 >= 64 bits
constexpr size_t kBuckets = size_t{1} << kDigitBits;
constexpr uint64_t kDigitMask = kBuckets - 1;
// Below this size std::sort wins over six counting passes.
constexpr size_t kRadixMinSize = 2048;

// Maps a double to a uint64 whose unsigned order is the double's total order.
inline uint64_t ToKey(double d) {
  uint64_t u = std::bit_cast<uint64_t>(d);
  uint64_t mask = (u >> 63) ? ~uint64_t{0} : (uint64_t{1} << 63);
  return u ^ mask;
}

inline double FromKey(uint64_t k) {
  uint64_t mask = (k >> 63) ? (uint64_t{1} << 63) : ~uint64_t{0};
  return std::bit_cast<double>(k ^ mask);
}

using Histograms = std::array<std::array<uint32_t, kBuckets>, kPasses>;

// One pass over the keys fills every digit's histogram.
void CountDigits(std::span<const uint64_t> keys, Histograms& counts) {
  for (auto& h : counts) h.fill(0);
  for (uint64_t k : keys) {
    for (int p = 0; p < kPasses; ++p) ++counts[p][(k >> (p * kDigitBits)) & kDigitMask];
  }
}

// Stable scatter of `src` into `dst` by digit `pass`.
void Scatter(const uint64_t* src, uint64_t* dst, size_t n, int pass,
             const std::array<uint32_t, kBuckets>& count) {
  std::array<size_t, kBuckets> offset;
  size_t sum = 0;
  for (size_t b = 0; b < kBuckets; ++b) {
    offset[b] = sum;
    sum += count[b];
  }
  const int shift = pass * kDigitBits;
  for (size_t i = 0; i < n; ++i) {
    uint64_t k = src[i];
    dst[offset[(k >> shift) & kDigitMask]++] = k;
  }
}

}  // namespace

void SortDoubles(std::span<double> values) {
  const size_t n = values.size();
  if (n < kRadixMinSize || n > UINT32_MAX) {
    // std::sort with a total order on the bit image keeps NaNs deterministic too.
    std::sort(values.begin(), values.end(), [](double a, double b) { return ToKey(a) < ToKey(b); });
    return;
  }
  std::vector<uint64_t> scratch(n);
  uint64_t* keys = scratch.data();
  for (size_t i = 0; i < n; ++i) keys[i] = ToKey(values[i]);
  auto hist = std::make_unique<Histograms>();
  CountDigits({keys, n}, *hist);
  std::vector<uint64_t> other(n);
  uint64_t* src = keys;
  uint64_t* dst = other.data();
  for (int p = 0; p < kPasses; ++p) {
    // A digit that is the same for every key does not reorder anything: skip its pass.
    const uint64_t first_digit = (src[0] >> (p * kDigitBits)) & kDigitMask;
    if ((*hist)[p][first_digit] == n) continue;
    Scatter(src, dst, n, p, (*hist)[p]);
    std::swap(src, dst);
  }
  for (size_t i = 0; i < n; ++i) values[i] = FromKey(src[i]);
}

}  // namespace ferry::monitoring
