#pragma once
// One pass over a column's cells: how many values of each kind (value_kind.h), numeric
// ranges and the distinct values. Schema inference and validation both start from it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "monitoring/data/value_kind.h"

namespace ferry::monitoring {

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
  // Present cells and how often each occurs; views into the summarised cells.
  std::unordered_map<std::string_view, int64_t> values;

  int64_t present() const { return rows - missing; }
  int64_t numbers() const { return ints + floats + nans + infs; }
};

// The cells must outlive the summary (its `values` point into them).
ColumnSummary Summarize(const std::vector<std::string>& cells);

}  // namespace ferry::monitoring
