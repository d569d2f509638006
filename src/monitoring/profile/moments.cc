#include "monitoring/profile/moments.h"

#include <algorithm>
#include <cmath>

namespace ferry::monitoring {

void Moments::AddNonFinite(double x) {
  if (std::isnan(x)) {
    ++nan;
  } else if (x > 0) {
    ++pos_inf;
  } else {
    ++neg_inf;
  }
}

void Moments::Merge(const Moments& other) {
  nan += other.nan;
  pos_inf += other.pos_inf;
  neg_inf += other.neg_inf;
  if (other.n == 0) return;
  if (n == 0) {
    n = other.n;
    mean = other.mean;
    m2 = other.m2;
    min = other.min;
    max = other.max;
    return;
  }
  const double na = static_cast<double>(n);
  const double nb = static_cast<double>(other.n);
  const double total = na + nb;
  const double delta = other.mean - mean;
  mean += delta * (nb / total);
  m2 += other.m2 + delta * delta * (na * nb / total);
  n += other.n;
  min = std::min(min, other.min);
  max = std::max(max, other.max);
}

// One chunk: deviations from a shift (the running mean, else the chunk's first finite value)
// are summed, so with a large common offset the sums lose nothing; the chunk's mean and M2
// around it then merge in by Chan's formula with the exact delta.
void Moments::AddChunk(std::span<const double> chunk) {
  double shift = mean;
  if (n == 0) {
    for (double v : chunk) {
      if (v - v == 0.0) {
        shift = v;
        break;
      }
    }
  }
  uint64_t count = 0;
  double sum = 0.0;
  for (double v : chunk) {
    if (v - v == 0.0) {
      sum += v - shift;
      ++count;
      min = std::min(min, v);
      max = std::max(max, v);
    } else {
      AddNonFinite(v);
    }
  }
  if (count == 0) return;
  const double delta = sum / static_cast<double>(count);
  double chunk_m2 = 0.0;
  for (double v : chunk) {
    const double d = (v - shift) - delta;
    if (v - v == 0.0) chunk_m2 += d * d;
  }
  const double na = static_cast<double>(n), nb = static_cast<double>(count);
  const double total = na + nb;
  mean = shift + delta * (nb / total);
  m2 += chunk_m2 + delta * delta * (na * nb / total);
  n += count;
}

void Moments::AddBatch(std::span<const double> values) {
  constexpr size_t kChunk = 1024;
  for (size_t start = 0; start < values.size(); start += kChunk) {
    AddChunk(values.subspan(start, std::min(kChunk, values.size() - start)));
  }
}

double Moments::Variance() const {
  if (n < 2) return 0.0;
  return std::max(0.0, m2 / static_cast<double>(n - 1));
}

double Moments::Stddev() const { return std::sqrt(Variance()); }

}  // namespace ferry::monitoring
