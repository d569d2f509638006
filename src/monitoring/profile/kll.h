#pragma once
// KLL quantile sketch of doubles (Karnin, Lang & Liberty 2016), laid out as Apache
// DataSketches' kll_sketch: levels of sorted items, level h weighing 2^h, level capacities
// max(m, k * (2/3)^depth). Compaction keeps every other item starting at a coin-chosen
// offset; the coin is a seeded deterministic generator, so the same values in the same order
// with the same seed give the same sketch (and the same encoded bytes). Mergeable.
// Only finite values are kept; callers count NaN and infinities elsewhere.

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace ferry::monitoring {

class ByteReader;
class ByteWriter;

// All retained items sorted, with their cumulative weights: what queries read.
struct KllSortedView {
  std::vector<double> items;
  std::vector<uint64_t> cumulative;  // cumulative[i] = total weight of items[0..i]
  uint64_t n = 0;
  double min = 0.0;  // the sketch's exact min and max (quantiles 0 and 1)
  double max = 0.0;

  // Fraction of the weight at or below `x` (the CDF); 0 for an empty view.
  double Rank(double x) const;
  // The smallest retained item whose inclusive rank reaches q (0 <= q <= 1).
  double Quantile(double q) const;
};

class KllSketch {
 public:
  static constexpr uint16_t kDefaultK = 1024;
  static constexpr uint16_t kMinK = 8;
  static constexpr uint8_t kDefaultM = 8;

  // `k` is clamped to [kMinK, 65535]; `seed` drives the compaction coin.
  explicit KllSketch(uint16_t k = kDefaultK, uint64_t seed = 0);

  void Update(double value) {
    if (!(value - value == 0.0)) return;  // NaN or +-inf
    UpdateFinite(value);
  }
  // Adds every finite value of `values`, in blocks of up to kBlock: a block that fits in the
  // sketch is appended as by Update; one that does not is radix-sorted together with level
  // 0 and compacted once into level 1 (a level-0 compaction over more items: fewer
  // compactions, so no more error than Update one value at a time, and several times faster).
  void UpdateBatch(std::span<const double> values);
  static constexpr size_t kBlock = 4096;
  // Adds `other`'s items; the result's error is that of the smaller k.
  void Merge(const KllSketch& other);

  bool empty() const { return n_ == 0; }
  uint64_t n() const { return n_; }
  uint16_t k() const { return k_; }
  uint16_t min_k() const { return min_k_; }
  uint32_t num_retained() const { return retained_; }
  double min() const { return min_; }  // +inf when empty
  double max() const { return max_; }  // -inf when empty

  KllSortedView View() const;
  // Convenience single queries (each builds a view; build one for many queries).
  double Rank(double x) const { return View().Rank(x); }
  double Quantile(double q) const { return View().Quantile(q); }
  // CDF at sorted split points: split_points.size() + 1 values, the last 1 (empty: zeros).
  std::vector<double> Cdf(std::span<const double> split_points) const;
  // Mass between consecutive split points: split_points.size() + 1 values summing to 1.
  std::vector<double> Pmf(std::span<const double> split_points) const;

  // DataSketches' empirical 99%-confidence normalised rank error of this sketch (its min_k):
  // 2.296 / k^0.9723 for rank and quantile queries, 2.446 / k^0.9433 for PMF/CDF ones.
  double NormalizedRankError(bool pmf) const { return NormalizedRankError(min_k_, pmf); }
  static double NormalizedRankError(uint16_t k, bool pmf);

  void EncodeTo(ByteWriter& out) const;
  // Checks every invariant: level weights sum to n, levels above 0 sorted, items finite and
  // within [min, max], retained items within capacity.
  static absl::StatusOr<KllSketch> DecodeFrom(ByteReader& in);

 private:
  void UpdateFinite(double value) {
    if (value < min_) min_ = value;
    if (value > max_) max_ = value;
    levels_[0].push_back(value);
    ++n_;
    if (++retained_ > capacity_) Compress();
  }
  void RecomputeCapacity();
  void Compress();
  void CompactLevel(size_t level);
  // Merges src[first], src[first + 2], ... (sorted) into the sorted `up`.
  void Promote(const std::vector<double>& src, size_t first, std::vector<double>& up);
  // Sorts `block` with level 0 and compacts it into level 1.
  void CompactBlock(std::vector<double>& block);
  bool Coin();

  uint16_t k_;
  uint16_t min_k_;
  uint8_t m_ = kDefaultM;
  uint64_t rng_;
  uint64_t n_ = 0;
  uint32_t retained_ = 0;
  uint32_t capacity_ = 0;
  double min_;
  double max_;
  std::vector<std::vector<double>> levels_;  // levels_[0] unsorted, the others sorted
  std::vector<uint32_t> level_capacity_;     // max(m, k (2/3)^depth) per level
  std::vector<double> scratch_;
};

}  // namespace ferry::monitoring
