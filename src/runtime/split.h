#pragma once
// Deterministic train/test split: the same rows, seed and fraction give the same split on
// every machine and standard library (the shuffle is our own Fisher-Yates over
// std::mt19937_64, whose output sequence the C++ standard fixes; std distributions are not
// used because their algorithms differ between libraries).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/status.h"
#include "core/frame.h"

namespace ferry::runtime {

inline constexpr double kDefaultTestFraction = 0.2;
inline constexpr uint64_t kDefaultSplitSeed = 42;

struct SplitIndices {
  std::vector<size_t> train;  // ascending row numbers
  std::vector<size_t> test;   // ascending row numbers
};

// A permutation of 0..n-1 drawn from `seed`.
std::vector<size_t> ShuffledIndices(size_t n, uint64_t seed);

// Splits rows 0..n-1: ceil(n * test_fraction) rows (as scikit-learn rounds) go to `test`,
// the rest to `train`. kInvalidArgument unless 0 <= test_fraction < 1, and when the split
// would leave no training row (n = 0 gives two empty lists).
absl::StatusOr<SplitIndices> SplitRows(size_t n, double test_fraction = kDefaultTestFraction,
                                       uint64_t seed = kDefaultSplitSeed);

struct FrameSplit {
  Frame train;
  Frame test;
};

// SplitRows applied to `frame`; rows keep their original order within each part.
absl::StatusOr<FrameSplit> SplitFrame(const Frame& frame,
                                      double test_fraction = kDefaultTestFraction,
                                      uint64_t seed = kDefaultSplitSeed);

// Splits `n` groups (the recommender's sessions: rows that must stay together) into
// train/test: group i goes to test when a hash of its position and `seed` falls below
// `test_fraction`. Returns the test group indices in order.
std::vector<size_t> HeldOutGroups(size_t n, double test_fraction, uint64_t seed);

// A time split of groups: the ceil(n * test_fraction) groups with the latest `start` (ties by
// index, NaN counts as latest) are held out, at most n - 1 of them so that one group is left to
// train on. Returns the held-out group indices in ascending order.
std::vector<size_t> LatestGroups(const std::vector<double>& start, double test_fraction);

}  // namespace ferry::runtime
