#pragma once
// One column of the reference and current data prepared for a drift test: missing values
// and +-inf dropped, the column typed as Evidently types it, and (for categorical tests) the
// counts per category. Pure; no I/O.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/frame.h"

namespace ferry::monitoring {

// Evidently's column types (core/datasets.py infer_column_type). Text columns are not
// drift-tested.
enum class DriftColumnType { kNum, kCat, kText };
std::string_view DriftColumnTypeName(DriftColumnType type);  // "num", "cat", "text"

// The valid values of one side of a column: NaN and +-inf dropped from numeric columns,
// "" dropped from text columns. `dropped` counts what was removed.
struct CleanValues {
  bool numeric = true;
  std::vector<double> numbers;
  std::vector<std::string> strings;
  size_t dropped = 0;

  size_t size() const { return numeric ? numbers.size() : strings.size(); }
};

CleanValues CleanColumn(const Column& column);

// The same values as text (numbers formatted by FormatShortest), so that a column read as
// numeric on one side can be compared with a text column on the other.
CleanValues AsText(const CleanValues& values);

// Evidently's typing, applied to the valid reference values:
// - numeric values, all whole, with at most 10 distinct values -> cat (pandas' int dtype with
//   <= INTEGER_CARDINALITY_LIMIT unique values); other numeric -> num;
// - text: text when the number of distinct values exceeds half of the non-missing count,
//   else cat.
DriftColumnType InferColumnType(const CleanValues& reference);

// Number of distinct values of reference and current together (pandas nunique of the union).
size_t DistinctCount(const CleanValues& reference, const CleanValues& current);
// Number of distinct values of one side.
size_t DistinctCount(const CleanValues& values);

// Counts per category over the union of both sides' values (monitoring/stats' one-bin-per-
// value binning). Labels are ordered by numeric value for numeric columns and byte-wise for
// text; counts are aligned with the labels.
struct LabelledCounts {
  std::vector<std::string> labels;
  std::vector<double> reference;
  std::vector<double> current;
};
LabelledCounts CountCategories(const CleanValues& reference, const CleanValues& current);

}  // namespace ferry::monitoring
