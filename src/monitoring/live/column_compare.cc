#include "monitoring/live/column_compare.h"

#include <cmath>
#include <map>
#include <vector>

#include "monitoring/profile/sketch_ks.h"
#include "monitoring/stats/distances.h"

namespace ferry::monitoring {
namespace {

uint64_t Present(const ColumnProfile& p) { return p.count() - p.missing(); }

// Value counts from the frequent items (exact while the sketch never purged), plus the
// present values the items do not cover under one "other" key.
std::map<std::string, double> ValueCounts(const ColumnProfile& p) {
  std::map<std::string, double> counts;
  uint64_t covered = 0;
  for (const FrequentItem& item : p.items().AllItems()) {
    counts[item.item] += static_cast<double>(item.lower);
    covered += item.lower;
  }
  const uint64_t present = Present(p);
  if (present > covered) counts["\x01other"] += static_cast<double>(present - covered);
  return counts;
}

double JsDistance(const ColumnProfile& ref, const ColumnProfile& cur) {
  std::map<std::string, double> r = ValueCounts(ref);
  std::map<std::string, double> c = ValueCounts(cur);
  for (const auto& [key, n] : c) r.try_emplace(key, 0.0);
  std::vector<double> rv, cv;
  for (const auto& [key, n] : r) {
    rv.push_back(n);
    auto it = c.find(key);
    cv.push_back(it == c.end() ? 0.0 : it->second);
  }
  const double d = JensenShannonDistance(rv, cv);
  return std::isfinite(d) ? d : 0.0;
}

}  // namespace

bool IsCategoricalProfile(const ColumnProfile& reference, size_t max_categories) {
  if (reference.type() == ProfileColumnType::kText) return true;
  const TypeCounts& t = reference.types();
  if (t.integral == 0 || t.fractional != 0) return false;
  const FrequentItems& items = reference.items();
  return items.maximum_error() == 0 && items.num_active() <= max_categories;
}

LiveColumnDrift CompareColumn(const std::string& name, const ColumnProfile* reference,
                              const ColumnProfile& current, size_t max_categories, double alpha,
                              double distance_threshold) {
  LiveColumnDrift out;
  out.name = name;
  out.count = current.count();
  out.missing = current.missing();
  const bool categorical = reference != nullptr ? IsCategoricalProfile(*reference, max_categories)
                                                : current.type() == ProfileColumnType::kText;
  out.column_type = categorical ? "cat" : "num";
  out.stattest = categorical ? "jensenshannon" : "sketch_ks";
  out.threshold = categorical ? distance_threshold : 1.0;
  const bool cur_empty = categorical ? Present(current) == 0 : current.kll().empty();
  if (reference == nullptr || (categorical ? Present(*reference) == 0 : reference->kll().empty())) {
    out.status = "no_reference_values";
    return out;
  }
  if (cur_empty) {
    out.status = "no_current_values";
    return out;
  }
  if (categorical) {
    out.statistic = JsDistance(*reference, current);
    out.drift_detected = out.statistic >= distance_threshold;
    return out;
  }
  absl::StatusOr<SketchKsResult> ks = SketchKs(reference->kll(), current.kll(), alpha);
  if (!ks.ok() || !ks->comparable) {
    out.status = "no_current_values";
    return out;
  }
  out.statistic = std::isfinite(ks->statistic) ? ks->statistic : 0.0;
  out.threshold = std::isfinite(ks->threshold) ? ks->threshold : 1.0;
  out.drift_detected = ks->drift;
  return out;
}

}  // namespace ferry::monitoring
