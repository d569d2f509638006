#include "runtime/split.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>

namespace ferry::runtime {
namespace {

// A uniform integer in [0, bound) by rejection, so no value is favoured (bound > 0).
uint64_t UniformBelow(std::mt19937_64& rng, uint64_t bound) {
  uint64_t limit = UINT64_MAX - UINT64_MAX % bound;  // largest multiple of bound
  uint64_t x;
  do {
    x = rng();
  } while (x >= limit);
  return x % bound;
}

}  // namespace

std::vector<size_t> ShuffledIndices(size_t n, uint64_t seed) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(seed);
  for (size_t i = n; i > 1; --i) {
    size_t j = static_cast<size_t>(UniformBelow(rng, i));
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

absl::StatusOr<SplitIndices> SplitRows(size_t n, double test_fraction, uint64_t seed) {
  if (!(test_fraction >= 0 && test_fraction < 1)) {
    return absl::InvalidArgumentError("test fraction must be in [0, 1), got " +
                                      std::to_string(test_fraction));
  }
  size_t n_test = static_cast<size_t>(std::ceil(static_cast<double>(n) * test_fraction));
  if (n > 0 && n_test >= n) {
    return absl::InvalidArgumentError("test fraction " + std::to_string(test_fraction) +
                                      " leaves no training rows out of " + std::to_string(n));
  }
  std::vector<size_t> order = ShuffledIndices(n, seed);
  SplitIndices split;
  split.test.assign(order.begin(), order.begin() + static_cast<ptrdiff_t>(n_test));
  split.train.assign(order.begin() + static_cast<ptrdiff_t>(n_test), order.end());
  std::sort(split.test.begin(), split.test.end());
  std::sort(split.train.begin(), split.train.end());
  return split;
}

absl::StatusOr<FrameSplit> SplitFrame(const Frame& frame, double test_fraction, uint64_t seed) {
  ASSIGN_OR_RETURN(SplitIndices split, SplitRows(frame.rows(), test_fraction, seed));
  return FrameSplit{frame.Take(split.train), frame.Take(split.test)};
}

std::vector<size_t> HeldOutGroups(size_t n, double test_fraction, uint64_t seed) {
  std::vector<size_t> out;
  for (size_t i = 0; i < n; ++i) {
    uint64_t h = (i + 1) * 0x9E3779B97F4A7C15ull ^ seed;  // splitmix64
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
    h ^= h >> 31;
    if (static_cast<double>(h >> 11) / static_cast<double>(1ull << 53) < test_fraction) {
      out.push_back(i);
    }
  }
  return out;
}

std::vector<size_t> LatestGroups(const std::vector<double>& start, double test_fraction) {
  const size_t n = start.size();
  if (n < 2 || !(test_fraction > 0)) return {};
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  auto key = [&](size_t i) { return std::isnan(start[i]) ? HUGE_VAL : start[i]; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  const auto want = static_cast<size_t>(std::ceil(static_cast<double>(n) * test_fraction));
  std::vector<size_t> out(order.end() - static_cast<long>(std::min(want, n - 1)), order.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ferry::runtime
