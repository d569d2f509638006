#pragma once
// The small reference-vs-current histograms of the drift report: equal-width bins over the
// combined range for numerical columns, the most frequent categories (plus "other") for
// categorical ones. Pure.

#include <string>
#include <vector>

#include "monitoring/drift/column_data.h"

namespace ferry::monitoring {

struct ColumnHistogram {
  std::vector<std::string> labels;  // "[0.1, 0.2)" or the category
  std::vector<double> reference;    // proportions of the reference's valid values
  std::vector<double> current;      // proportions of the current's valid values
};

// At most `max_bins` bins (categorical: the max_bins - 1 most frequent categories over both
// sides and "(other)"). Empty sides give all-zero proportions.
// `counts` divided by their sum (all zeros when the sum is 0).
std::vector<double> Proportions(std::vector<double> counts);

// The max_bins - 1 most frequent labels over both sides and "(other)" when there are more
// than `max_bins` (max_bins >= 2), else every label in order; as proportions.
ColumnHistogram TopCategories(const LabelledCounts& counts, size_t max_bins);

ColumnHistogram MakeHistogram(DriftColumnType type, const CleanValues& ref, const CleanValues& cur,
                              size_t max_bins = 20);

}  // namespace ferry::monitoring
