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

// Replaces each value by its key's bit pattern and fills every digit's histogram, in one
// pass.
void ToKeysAndCount(std::span<double> values, Histograms& counts) {
  for (auto& h : counts) h.fill(0);
  for (double& v : values) {
    const uint64_t k = ToKey(v);
    v = std::bit_cast<double>(k);
    for (int p = 0; p < kPasses; ++p) ++counts[p][(k >> (p * kDigitBits)) & kDigitMask];
  }
}

// Stable scatter of the keys in `src` into `dst` by digit `pass`. Keys are moved as raw
// 64-bit patterns; `Src`/`Dst` are double (the caller's buffer holding key bits) or
// uint64_t (the scratch buffer).
// With kFinal the keys are turned back into the doubles they stand for.
template <bool kFinal = false, typename Src, typename Dst>
void Scatter(const Src* src, Dst* dst, size_t n, int pass,
             const std::array<uint32_t, kBuckets>& count) {
  std::array<size_t, kBuckets> offset;
  size_t sum = 0;
  for (size_t b = 0; b < kBuckets; ++b) {
    offset[b] = sum;
    sum += count[b];
  }
  const int shift = pass * kDigitBits;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t k = std::bit_cast<uint64_t>(src[i]);
    if constexpr (kFinal) {
      dst[offset[(k >> shift) & kDigitMask]++] = FromKey(k);
    } else {
      dst[offset[(k >> shift) & kDigitMask]++] = std::bit_cast<Dst>(k);
    }
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
  auto hist = std::make_unique<Histograms>();
  // The caller's buffer holds key bit patterns while sorting (bit_cast preserves every
  // bit, NaN payloads included), so one scratch buffer suffices; it is left
  // uninitialised, the first scatter writes every slot.
  double* data = values.data();
  ToKeysAndCount(values, *hist);
  // A digit that is the same for every key does not reorder anything: skip its pass.
  const uint64_t first_key = std::bit_cast<uint64_t>(data[0]);
  std::array<int, kPasses> active;
  int count = 0;
  for (int p = 0; p < kPasses; ++p) {
    if ((*hist)[p][(first_key >> (p * kDigitBits)) & kDigitMask] != n) active[count++] = p;
  }
  std::unique_ptr<uint64_t[]> scratch(count > 0 ? new uint64_t[n] : nullptr);
  for (int a = 0; a < count; ++a) {
    const int p = active[a];
    if (a % 2 == 0) {
      Scatter(data, scratch.get(), n, p, (*hist)[p]);
    } else if (a == count - 1) {
      Scatter<true>(scratch.get(), data, n, p, (*hist)[p]);  // lands sorted, as doubles
    } else {
      Scatter(scratch.get(), data, n, p, (*hist)[p]);
    }
  }
  if (count % 2 == 1) {
    for (size_t i = 0; i < n; ++i) data[i] = FromKey(scratch[i]);
  } else if (count == 0) {
    for (size_t i = 0; i < n; ++i) data[i] = FromKey(std::bit_cast<uint64_t>(data[i]));
  }
}

}  // namespace ferry::monitoring
