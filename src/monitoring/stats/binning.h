#pragma once
// Binning for the binned drift distances: Evidently's Sturges edges over the combined
// sample, reference-quantile edges (computable once from the reference), numpy-exact
// histogram counts, one bin per distinct value, and Evidently's zero filling.
// Maths: reference monitoring.md sections 1.2 and 7.4. Every function is pure and
// thread-safe.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::monitoring {

// numpy.histogram_bin_edges(concat(ref, cur), bins="sturges"): n_bins =
// ceil(ptp / (ptp / (log2 N + 1))) equal-width bins over [min, max] of the combined data,
// edge_i = min + i * (max - min) / n_bins and the last edge exactly max. Non-finite
// values are ignored (N counts only finite ones). As numpy: constant data gives one bin
// [v - 0.5, v + 0.5]; no finite data gives one bin [0, 1].
std::vector<double> SturgesEdges(std::span<const double> ref, std::span<const double> cur);

// The bins - 1 inner edges at the reference quantiles k/bins, k = 1..bins-1 (numpy
// 'linear' quantile), for open outer bins (HistogramCounts with open_outer). ref_sorted
// must be sorted ascending with no NaN. An empty reference or bins < 2 gives no edges
// (one bin holding everything).
std::vector<double> QuantileEdges(std::span<const double> ref_sorted, int bins = 10);

// Counts of `values` per bin. With open_outer = false (numpy.histogram with explicit
// edges): edges.size() - 1 bins [e_i, e_i+1), the last closed [e_n-1, e_n]; values outside
// [e_0, e_n] are not counted; fewer than 2 edges give no bins. With open_outer = true:
// edges.size() + 1 bins (-inf, e_0), [e_0, e_1), ..., [e_n, +inf), i.e. bin = number of
// edges <= x (numpy searchsorted side='right'). NaN values are never counted. Edges must
// be non-decreasing. Cost O(n) for equal-width edges (numpy's computed index, corrected
// against the stored edges), else O(n log bins) by a branch-free binary search.
std::vector<double> HistogramCounts(std::span<const double> values, std::span<const double> edges,
                                    bool open_outer);

// Evidently's zero filling of proportions: every 0 entry becomes min_nonzero / 1e6 if
// min_nonzero <= 1e-4, else 1e-4. No renormalisation. A vector with no non-zero entry is
// returned unchanged.
std::vector<double> ZeroFill(std::vector<double> proportions);

// Counts of a reference and a current sample over the same bins.
struct BinnedCounts {
  std::vector<double> keys;  // one per bin: the distinct value, or the bin's left edge
  std::vector<double> ref;
  std::vector<double> cur;
};

// One bin per distinct value of ref U cur, keys sorted ascending (Evidently's binning
// for categorical and low-cardinality columns). NaN values are ignored.
BinnedCounts ValueBinCounts(std::span<const double> ref, std::span<const double> cur);

// Evidently's get_binned_data for a numerical column: Sturges bins over the combined
// data when the reference has more than 20 distinct values, else ValueBinCounts.
BinnedCounts EvidentlyNumericBinCounts(std::span<const double> ref, std::span<const double> cur);

// Counts of a categorical reference and current column over the same categories.
struct CategoryCounts {
  std::vector<std::string> keys;  // sorted by bytes (UTF-8: by code point, as numpy)
  std::vector<double> ref;
  std::vector<double> cur;
};

// One bin per distinct category of ref U cur (Evidently's categorical binning: the sorted
// union of both columns' values). Callers drop missing values first.
CategoryCounts CategoryBinCounts(std::span<const std::string_view> ref,
                                 std::span<const std::string_view> cur);

}  // namespace ferry::monitoring
