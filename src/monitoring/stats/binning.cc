#include "monitoring/stats/binning.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "monitoring/stats/radix_sort.h"

namespace ferry::monitoring {
namespace {

struct Range {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  int64_t n = 0;
};

void Extend(Range& r, std::span<const double> values) {
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    r.min = std::min(r.min, v);
    r.max = std::max(r.max, v);
    ++r.n;
  }
}

// numpy.linspace(first, last, bins + 1): i * step + first, the last edge exactly `last`.
std::vector<double> Linspace(double first, double last, int64_t bins) {
  std::vector<double> edges(static_cast<size_t>(bins) + 1);
  const double step = (last - first) / static_cast<double>(bins);
  for (int64_t i = 0; i <= bins; ++i) edges[i] = static_cast<double>(i) * step + first;
  edges.back() = last;
  return edges;
}

// Number of edges <= x among edges[0..m), branch-free (m >= 1).
inline size_t UpperBound(const double* edges, size_t m, double x) {
  const double* base = edges;
  size_t len = m;
  while (len > 1) {
    size_t half = len / 2;
    base = (base[half] <= x) ? base + half : base;
    len -= half;
  }
  return static_cast<size_t>(base - edges) + (*base <= x ? 1 : 0);
}

// True when edges are exactly what Linspace(first, last, bins) gives, so a bin index can
// be computed instead of searched.
bool IsLinspace(std::span<const double> edges) {
  const size_t bins = edges.size() - 1;
  const double first = edges.front();
  const double last = edges.back();
  if (!(last > first) || !std::isfinite(last - first)) return false;
  const double step = (last - first) / static_cast<double>(bins);
  for (size_t i = 0; i < bins; ++i) {
    if (edges[i] != static_cast<double>(i) * step + first) return false;
  }
  return true;
}

// Closed-edge counts for equal-width edges, as numpy's fast path: the index from the
// arithmetic, then corrected against the stored edges (it can be one off near an edge).
void CountLinspace(std::span<const double> values, std::span<const double> edges,
                   std::vector<int64_t>& slots) {
  const size_t bins = edges.size() - 1;
  const double first = edges.front();
  const double last = edges.back();
  const double width = last - first;
  const double scale = static_cast<double>(bins);
  for (double v : values) {
    if (!(v >= first && v <= last)) {
      slots[v < first ? 0 : bins + 1] += std::isnan(v) ? 0 : 1;
      continue;
    }
    size_t i = std::min(static_cast<size_t>((v - first) / width * scale), bins - 1);
    while (i > 0 && v < edges[i]) --i;
    while (i + 1 < bins && v >= edges[i + 1]) ++i;
    ++slots[i + 1];
  }
}

// Closed-edge counts for any non-decreasing edges, by binary search.
void CountSearch(std::span<const double> values, std::span<const double> edges,
                 std::vector<int64_t>& slots) {
  const size_t m = edges.size();
  const double last = edges[m - 1];
  for (double v : values) {
    if (std::isnan(v)) continue;
    // The number of edges <= v puts [e_i, e_i+1) in slot i + 1; the closed last edge
    // goes to the last bin.
    size_t slot = UpperBound(edges.data(), m, v);
    slot -= (v == last) ? 1 : 0;
    ++slots[slot];
  }
}

}  // namespace

std::vector<double> SturgesEdges(std::span<const double> ref, std::span<const double> cur) {
  Range r;
  Extend(r, ref);
  Extend(r, cur);
  if (r.n == 0) return {0.0, 1.0};
  double first = r.min;
  double last = r.max;
  if (first == last) return {first - 0.5, last + 0.5};
  const double ptp = last - first;
  const double width = ptp / (std::log2(static_cast<double>(r.n)) + 1.0);
  const int64_t bins = static_cast<int64_t>(std::ceil(ptp / width));
  return Linspace(first, last, std::max<int64_t>(bins, 1));
}

std::vector<double> QuantileEdges(std::span<const double> ref_sorted, int bins) {
  std::vector<double> edges;
  const size_t n = ref_sorted.size();
  if (n == 0 || bins < 2) return edges;
  edges.reserve(static_cast<size_t>(bins) - 1);
  for (int k = 1; k < bins; ++k) {
    // numpy 'linear': virtual index q (n - 1), then lerp between its neighbours the way
    // numpy's _lerp does (from the far end when the fraction is >= 0.5).
    const double q = static_cast<double>(k) / static_cast<double>(bins);
    const double pos = q * static_cast<double>(n - 1);
    const double lo_f = std::floor(pos);
    const size_t lo = static_cast<size_t>(lo_f);
    const size_t hi = std::min(lo + 1, n - 1);
    const double t = pos - lo_f;
    const double a = ref_sorted[lo];
    const double b = ref_sorted[hi];
    const double diff = b - a;
    edges.push_back(t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t);
  }
  return edges;
}

std::vector<double> HistogramCounts(std::span<const double> values, std::span<const double> edges,
                                    bool open_outer) {
  const size_t m = edges.size();
  if (open_outer) {
    std::vector<double> counts(m + 1, 0.0);
    std::vector<int64_t> ints(m + 1, 0);
    if (m == 0) {
      for (double v : values) ints[0] += std::isnan(v) ? 0 : 1;
    } else {
      for (double v : values) {
        if (std::isnan(v)) continue;
        ++ints[UpperBound(edges.data(), m, v)];
      }
    }
    for (size_t i = 0; i <= m; ++i) counts[i] = static_cast<double>(ints[i]);
    return counts;
  }
  if (m < 2) return {};
  const size_t bins = m - 1;
  std::vector<int64_t> slots(bins + 2, 0);  // slot 0: below; slot bins + 1: above
  if (IsLinspace(edges)) {
    CountLinspace(values, edges, slots);
  } else {
    CountSearch(values, edges, slots);
  }
  std::vector<double> counts(bins);
  for (size_t i = 0; i < bins; ++i) counts[i] = static_cast<double>(slots[i + 1]);
  return counts;
}

std::vector<double> ZeroFill(std::vector<double> proportions) {
  double min_nonzero = std::numeric_limits<double>::infinity();
  for (double p : proportions) {
    if (p != 0) min_nonzero = std::min(min_nonzero, p);
  }
  if (!std::isfinite(min_nonzero)) return proportions;
  const double fill = min_nonzero <= 1e-4 ? min_nonzero / 1e6 : 1e-4;
  for (double& p : proportions) {
    if (p == 0) p = fill;
  }
  return proportions;
}

BinnedCounts ValueBinCounts(std::span<const double> ref, std::span<const double> cur) {
  std::vector<double> all;
  all.reserve(ref.size() + cur.size());
  for (double v : ref) {
    if (!std::isnan(v)) all.push_back(v);
  }
  for (double v : cur) {
    if (!std::isnan(v)) all.push_back(v);
  }
  SortDoubles(all);
  // Equal keys compare equal (so -0.0 and +0.0 share a bin, as numpy.unique does).
  all.erase(std::unique(all.begin(), all.end()), all.end());
  BinnedCounts out;
  out.keys = all;
  auto count = [&](std::span<const double> values) {
    std::vector<double> c(all.size(), 0.0);
    for (double v : values) {
      if (std::isnan(v)) continue;
      auto it = std::lower_bound(all.begin(), all.end(), v);
      c[static_cast<size_t>(it - all.begin())] += 1;
    }
    return c;
  };
  out.ref = count(ref);
  out.cur = count(cur);
  return out;
}

BinnedCounts EvidentlyNumericBinCounts(std::span<const double> ref, std::span<const double> cur) {
  std::vector<double> sorted;
  sorted.reserve(ref.size());
  for (double v : ref) {
    if (!std::isnan(v)) sorted.push_back(v);
  }
  SortDoubles(sorted);
  const size_t distinct =
      static_cast<size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
  if (distinct <= 20) return ValueBinCounts(ref, cur);
  BinnedCounts out;
  std::vector<double> edges = SturgesEdges(ref, cur);
  out.ref = HistogramCounts(ref, edges, false);
  out.cur = HistogramCounts(cur, edges, false);
  edges.pop_back();
  out.keys = std::move(edges);
  return out;
}

CategoryCounts CategoryBinCounts(std::span<const std::string_view> ref,
                                 std::span<const std::string_view> cur) {
  std::vector<std::string_view> keys(ref.begin(), ref.end());
  keys.insert(keys.end(), cur.begin(), cur.end());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  auto count = [&](std::span<const std::string_view> values) {
    std::vector<double> c(keys.size(), 0.0);
    for (std::string_view v : values) {
      c[static_cast<size_t>(std::lower_bound(keys.begin(), keys.end(), v) - keys.begin())] += 1;
    }
    return c;
  };
  CategoryCounts out;
  out.ref = count(ref);
  out.cur = count(cur);
  out.keys.assign(keys.begin(), keys.end());
  return out;
}

}  // namespace ferry::monitoring
