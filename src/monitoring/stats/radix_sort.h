#pragma once
// Sorting float64 fast: an LSD radix sort on the order-preserving uint64 image of each
// double (flip the sign bit of positives, all bits of negatives), 11-bit digits, skipping
// digits that are equal across all keys. Used by the KS and Wasserstein entry points.

#include <span>

namespace ferry::monitoring {

// Sorts `values` ascending in place. -0.0 sorts before +0.0 and +-inf at the ends; NaNs
// (any payload) end up after +inf with a positive sign bit, before -inf with a negative
// one (callers drop NaN first). Small inputs use std::sort. Allocates one buffer of the
// same size.
void SortDoubles(std::span<double> values);

}  // namespace ferry::monitoring
