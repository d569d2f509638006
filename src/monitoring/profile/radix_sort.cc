#include "monitoring/profile/radix_sort.h"

#include <cstring>

namespace ferry::monitoring {
namespace {

constexpr uint64_t kSign = uint64_t{1} << 63;

// Maps a double's bits to an unsigned key with the same order (negatives reversed).
uint64_t Key(double d) {
  uint64_t b = 0;
  std::memcpy(&b, &d, sizeof(b));
  return (b & kSign) != 0 ? ~b : (b | kSign);
}

double Value(uint64_t k) {
  const uint64_t b = (k & kSign) != 0 ? (k & ~kSign) : ~k;
  double d = 0;
  std::memcpy(&d, &b, sizeof(d));
  return d;
}

}  // namespace

void RadixSortDoubles(std::vector<double>& values, std::vector<uint64_t>& scratch) {
  const size_t n = values.size();
  if (n < 2) return;
  scratch.resize(2 * n);
  uint64_t* src = scratch.data();
  uint64_t* dst = scratch.data() + n;
  uint32_t hist[8][256] = {};
  for (size_t i = 0; i < n; ++i) {
    const uint64_t k = Key(values[i]);
    src[i] = k;
    for (int p = 0; p < 8; ++p) ++hist[p][(k >> (8 * p)) & 0xFF];
  }
  for (int p = 0; p < 8; ++p) {
    const int shift = 8 * p;
    if (hist[p][(src[0] >> shift) & 0xFF] == n) continue;  // one digit value: nothing to do
    uint32_t offset[256];
    uint32_t sum = 0;
    for (int d = 0; d < 256; ++d) {
      offset[d] = sum;
      sum += hist[p][d];
    }
    for (size_t i = 0; i < n; ++i) {
      const uint64_t k = src[i];
      dst[offset[(k >> shift) & 0xFF]++] = k;
    }
    std::swap(src, dst);
  }
  for (size_t i = 0; i < n; ++i) values[i] = Value(src[i]);
}

}  // namespace ferry::monitoring
