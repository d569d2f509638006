#include "monitoring/drift/histogram.h"

#include <algorithm>
#include <numeric>

#include "common/strings.h"
#include "monitoring/stats/binning.h"

namespace ferry::monitoring {
namespace {

ColumnHistogram NumericHistogram(const CleanValues& ref, const CleanValues& cur, size_t max_bins) {
  std::vector<double> edges = SturgesEdges(ref.numbers, cur.numbers);
  if (edges.size() > max_bins + 1) {
    double lo = edges.front(), hi = edges.back();
    edges.clear();
    for (size_t i = 0; i <= max_bins; ++i) {
      edges.push_back(i == max_bins ? hi : lo + static_cast<double>(i) * (hi - lo) / max_bins);
    }
  }
  ColumnHistogram out;
  for (size_t i = 0; i + 1 < edges.size(); ++i) {
    out.labels.push_back("[" + FormatShortest(edges[i]) + ", " + FormatShortest(edges[i + 1]) +
                         (i + 2 == edges.size() ? "]" : ")"));
  }
  out.reference = Proportions(HistogramCounts(ref.numbers, edges, false));
  out.current = Proportions(HistogramCounts(cur.numbers, edges, false));
  return out;
}

}  // namespace

std::vector<double> Proportions(std::vector<double> counts) {
  double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  for (double& c : counts) c = total > 0 ? c / total : 0.0;
  return counts;
}

ColumnHistogram TopCategories(const LabelledCounts& counts, size_t max_bins) {
  std::vector<size_t> order(counts.labels.size());
  std::iota(order.begin(), order.end(), 0);
  if (order.size() > max_bins) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return counts.reference[a] + counts.current[a] > counts.reference[b] + counts.current[b];
    });
  }
  ColumnHistogram out;
  size_t keep = order.size() > max_bins ? max_bins - 1 : order.size();
  for (size_t i = 0; i < keep; ++i) {
    out.labels.push_back(counts.labels[order[i]]);
    out.reference.push_back(counts.reference[order[i]]);
    out.current.push_back(counts.current[order[i]]);
  }
  if (keep < order.size()) {
    out.labels.push_back("(other)");
    out.reference.push_back(0);
    out.current.push_back(0);
    for (size_t i = keep; i < order.size(); ++i) {
      out.reference.back() += counts.reference[order[i]];
      out.current.back() += counts.current[order[i]];
    }
  }
  out.reference = Proportions(std::move(out.reference));
  out.current = Proportions(std::move(out.current));
  return out;
}

ColumnHistogram MakeHistogram(DriftColumnType type, const CleanValues& ref, const CleanValues& cur,
                              size_t max_bins) {
  if (max_bins < 2) max_bins = 2;
  if (type == DriftColumnType::kNum && ref.numeric && cur.numeric) {
    return NumericHistogram(ref, cur, max_bins);
  }
  return TopCategories(CountCategories(ref, cur), max_bins);
}

}  // namespace ferry::monitoring
