#pragma once
// What `ferry monitor show` prints per column, computed from a ColumnProfile: counts, exact
// moments, KLL quantiles, the distinct-count estimate with its 2-standard-error bounds, and
// the frequent items with their bounds.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "monitoring/profile/column_profile.h"

namespace ferry::monitoring {

inline constexpr std::array<double, 7> kSummaryQuantiles = {0.01, 0.05, 0.25, 0.5,
                                                            0.75, 0.95, 0.99};

struct ColumnSummary {
  std::string name;
  ProfileColumnType type = ProfileColumnType::kNumeric;
  uint64_t count = 0;
  uint64_t missing = 0;
  TypeCounts types;
  uint64_t pos_inf = 0;
  uint64_t neg_inf = 0;
  // Set when the column has finite numbers.
  std::optional<double> min, max, mean, stddev;
  std::vector<double> quantiles;  // at kSummaryQuantiles; empty without finite numbers
  double quantile_rank_error = 0.0;
  double distinct = 0.0;  // estimate, clamped to the present values
  double distinct_lower = 0.0;
  double distinct_upper = 0.0;
  std::vector<FrequentItem> top_items;  // numeric columns: integers in decimal
};

ColumnSummary Summarize(const std::string& name, const ColumnProfile& column, size_t top_items);

}  // namespace ferry::monitoring
