#include "monitoring/profile/profile_summary.h"

#include <algorithm>

namespace ferry::monitoring {

ColumnSummary Summarize(const std::string& name, const ColumnProfile& column, size_t top_items) {
  ColumnSummary s;
  s.name = name;
  s.type = column.type();
  s.count = column.count();
  s.missing = column.missing();
  s.types = column.types();
  const Moments& m = column.moments();
  s.pos_inf = m.pos_inf;
  s.neg_inf = m.neg_inf;
  if (m.n > 0) {
    s.min = m.min;
    s.max = m.max;
    s.mean = m.mean;
    s.stddev = m.Stddev();
    const KllSortedView view = column.kll().View();
    for (double q : kSummaryQuantiles) s.quantiles.push_back(view.Quantile(q));
    s.quantile_rank_error = column.kll().NormalizedRankError(false);
  }
  const double present = static_cast<double>(column.count() - column.missing());
  const HllSketch& hll = column.hll();
  s.distinct = std::min(hll.Estimate(), present);
  s.distinct_lower = std::min(hll.LowerBound(2), s.distinct);
  s.distinct_upper = std::min(hll.UpperBound(2), present);
  if (!hll.empty()) s.distinct_lower = std::max(s.distinct_lower, 1.0);
  s.top_items = column.items().TopItems(top_items);
  if (column.type() == ProfileColumnType::kNumeric) {
    for (FrequentItem& f : s.top_items) f.item = IntegralItemText(f.item);
  }
  return s;
}

}  // namespace ferry::monitoring
