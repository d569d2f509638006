#pragma once
// A table read from CSV or JSON lines: named columns, each numeric (double, NaN for missing)
// or text. The training input of every Trainer. Value type, no I/O.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ferry {

struct Column {
  std::string name;
  bool numeric = true;
  std::vector<double> numbers;       // numeric columns; NaN for a missing value
  std::vector<std::string> strings;  // text columns; "" for a missing value

  size_t size() const { return numeric ? numbers.size() : strings.size(); }
};

struct Frame {
  std::vector<Column> columns;

  size_t rows() const { return columns.empty() ? 0 : columns[0].size(); }
  // The column named `name`, or nullptr.
  const Column* Find(std::string_view name) const;
  // A frame with the rows at `indices`, in that order.
  Frame Take(const std::vector<size_t>& indices) const;
};

}  // namespace ferry
