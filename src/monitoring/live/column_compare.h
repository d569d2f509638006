#pragma once
// Compares one column of a window's profile with the same column of its reference profile:
// KS on the KLL sketches with DataSketches' rule for numeric columns, the Jensen-Shannon
// distance (natural log) of the value counts for categorical ones. Internal to live/.

#include <cstddef>
#include <string>

#include "monitoring/live/live_types.h"
#include "monitoring/profile/column_profile.h"

namespace ferry::monitoring {

// Text columns, and numeric columns whose present values are all whole numbers with at most
// `max_categories` distinct values (counted exactly by the frequent-items sketch).
bool IsCategoricalProfile(const ColumnProfile& reference, size_t max_categories);

// `reference` may be null (status "no_reference_values"). `alpha` for KS, `distance_threshold`
// for JS. Every number of the result is finite.
LiveColumnDrift CompareColumn(const std::string& name, const ColumnProfile* reference,
                              const ColumnProfile& current, size_t max_categories, double alpha,
                              double distance_threshold);

}  // namespace ferry::monitoring
