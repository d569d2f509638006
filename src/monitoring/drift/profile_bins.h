#pragma once
// What the profile comparison and the profile report read from column profiles: present and
// valid value counts, value counts from the frequent items (aligned over both sides, text
// labels for integral numbers), the reference's decile split points from its KLL sketch,
// and the report's histograms estimated from the sketches. Pure.

#include <cstdint>
#include <vector>

#include "monitoring/drift/column_data.h"
#include "monitoring/drift/histogram.h"
#include "monitoring/profile/column_profile.h"

namespace ferry::monitoring {

// Present values (count - missing).
uint64_t PresentValues(const ColumnProfile& p);
// The values a test reads: the KLL sketch's (finite numbers) when `numbers`, else the present
// values.
uint64_t PresentNumbers(const ColumnProfile& p, bool numbers);
// The values a drift test can use: finite numbers of a numeric column, present strings of a
// text one.
uint64_t ValidValues(const ColumnProfile& p);

// Counts per value over both sides, from the frequent items' lower bounds (exact while the
// sketch never purged); integral numbers labelled in decimal so that a numeric side matches
// a text side. Present values no item covers form one last "(other)" bin per side (present
// only when one side has such values). Labels by numeric value when both sides are numeric,
// else byte-wise.
LabelledCounts ProfileValueCounts(const ColumnProfile& ref, const ColumnProfile& cur);

// The distinct values among the sketch's 10%, 20%, ..., 90% quantiles (bins open at both
// ends, as strict mode's decile bins).
std::vector<double> DecileSplits(const KllSketch& sketch);

// The report's histogram of a column compared from profiles: numerical columns in at most
// `max_bins` equal-width bins over both sketches' [min, max] (masses from each KLL sketch);
// categorical ones from ProfileValueCounts, the max_bins - 1 most frequent and "(other)".
ColumnHistogram MakeProfileHistogram(DriftColumnType type, const ColumnProfile& ref,
                                     const ColumnProfile& cur, size_t max_bins = 20);

}  // namespace ferry::monitoring
