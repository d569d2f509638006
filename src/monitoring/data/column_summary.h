#pragma once
// One pass over a column's cells: how many values of each kind (value_kind.h), numeric
// ranges and the distinct values. Schema inference and validation both start from it.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "monitoring/data/value_kind.h"

namespace ferry::monitoring {

// Distinct values counted per column: past this many, further new values are not added to
// `values` (memory stays bounded on a column of IDs) and their cells are read again from the
// cells when needed (ForEachValue), so validation counts stay exact.
inline constexpr size_t kMaxTrackedValues = 100000;

struct ColumnSummary {
  int64_t rows = 0;
  int64_t missing = 0;
  int64_t bools = 0;
  int64_t ints = 0;
  int64_t floats = 0;  // finite non-integer numbers
  int64_t nans = 0;
  int64_t infs = 0;
  int64_t strings = 0;
  std::optional<int64_t> int_min, int_max;  // over the INT values
  std::optional<double> min, max;           // over the finite numbers (INT and FLOAT values)
  // Present cells and how often each occurs (at most kMaxTrackedValues distinct values);
  // views into the summarised cells.
  std::unordered_map<std::string_view, int64_t> values;
  int64_t untracked = 0;                            // present cells whose value is not in `values`
  const std::vector<std::string>* cells = nullptr;  // the summarised cells

  int64_t present() const { return rows - missing; }
  // Calls `f(value, count)` for every tracked value, then `f(cell, 1)` for each present cell
  // not tracked: every present cell counted once.
  void ForEachValue(const std::function<void(std::string_view, int64_t)>& f) const;
  int64_t numbers() const { return ints + floats + nans + infs; }
};

// The cells must outlive the summary (its `values` point into them).
ColumnSummary Summarize(const std::vector<std::string>& cells);

}  // namespace ferry::monitoring
