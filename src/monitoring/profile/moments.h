#pragma once
// Exact summary of a numeric column: finite-value count, mean and M2 by Welford's update,
// merged by Chan et al.'s parallel formula (stable with large offsets), min, max, and the
// NaN and infinity counts (non-finite values are counted, never folded into the mean).

#include <cstdint>
#include <limits>
#include <span>

namespace ferry::monitoring {

struct Moments {
  uint64_t n = 0;  // finite values
  double mean = 0.0;
  double m2 = 0.0;  // sum of squared deviations from the mean
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  uint64_t nan = 0;
  uint64_t pos_inf = 0;
  uint64_t neg_inf = 0;

  void Add(double x) {
    if (x - x != 0.0) {
      AddNonFinite(x);
      return;
    }
    ++n;
    const double delta = x - mean;
    mean += delta / static_cast<double>(n);
    m2 += delta * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  // Chunks of values, each summarised by two passes (mean, then squared deviations, both
  // around the running mean) and merged in by Chan's formula: more accurate than Welford far
  // from zero, and vectorisable.
  void AddBatch(std::span<const double> values);
  void Merge(const Moments& other);

  // Sample variance (n - 1 in the denominator); 0 below two values.
  double Variance() const;
  double Stddev() const;

 private:
  void AddNonFinite(double x);
  void AddChunk(std::span<const double> chunk);
};

}  // namespace ferry::monitoring
