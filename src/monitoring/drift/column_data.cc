#include "monitoring/drift/column_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

namespace ferry::monitoring {
namespace {

constexpr size_t kIntegerCardinalityLimit = 10;

bool AllWhole(const std::vector<double>& values) {
  for (double v : values) {
    if (v != std::floor(v)) return false;
  }
  return true;
}

template <typename T>
void AddCounts(const std::vector<T>& values, std::map<T, std::pair<double, double>>* counts,
               bool reference) {
  for (const T& v : values) {
    auto& slot = (*counts)[v];
    (reference ? slot.first : slot.second) += 1;
  }
}

}  // namespace

std::string_view ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kNum:
      return "num";
    case ColumnType::kCat:
      return "cat";
    case ColumnType::kText:
      return "text";
  }
  return "num";
}

CleanValues CleanColumn(const Column& column) {
  CleanValues out;
  out.numeric = column.numeric;
  if (column.numeric) {
    out.numbers.reserve(column.numbers.size());
    for (double v : column.numbers) {
      if (std::isfinite(v)) out.numbers.push_back(v);
    }
    out.dropped = column.numbers.size() - out.numbers.size();
  } else {
    out.strings.reserve(column.strings.size());
    for (const std::string& s : column.strings) {
      if (!s.empty()) out.strings.push_back(s);
    }
    out.dropped = column.strings.size() - out.strings.size();
  }
  return out;
}

std::string FormatNumber(double value) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, res.ptr);
}

CleanValues AsText(const CleanValues& values) {
  if (!values.numeric) return values;
  CleanValues out;
  out.numeric = false;
  out.dropped = values.dropped;
  out.strings.reserve(values.numbers.size());
  for (double v : values.numbers) out.strings.push_back(FormatNumber(v));
  return out;
}

size_t DistinctCount(const CleanValues& values) {
  if (values.numeric) {
    std::vector<double> sorted = values.numbers;
    std::sort(sorted.begin(), sorted.end());
    return static_cast<size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
  }
  return std::set<std::string_view>(values.strings.begin(), values.strings.end()).size();
}

size_t DistinctCount(const CleanValues& reference, const CleanValues& current) {
  if (reference.numeric && current.numeric) {
    std::vector<double> all = reference.numbers;
    all.insert(all.end(), current.numbers.begin(), current.numbers.end());
    std::sort(all.begin(), all.end());
    return static_cast<size_t>(std::unique(all.begin(), all.end()) - all.begin());
  }
  CleanValues ref = AsText(reference), cur = AsText(current);
  std::set<std::string_view> all(ref.strings.begin(), ref.strings.end());
  all.insert(cur.strings.begin(), cur.strings.end());
  return all.size();
}

ColumnType InferColumnType(const CleanValues& reference) {
  if (reference.numeric) {
    if (AllWhole(reference.numbers) && DistinctCount(reference) <= kIntegerCardinalityLimit) {
      return ColumnType::kCat;
    }
    return ColumnType::kNum;
  }
  size_t distinct = DistinctCount(reference);
  return 2 * distinct > reference.strings.size() ? ColumnType::kText : ColumnType::kCat;
}

CategoryCounts CountCategories(const CleanValues& reference, const CleanValues& current) {
  CategoryCounts out;
  if (reference.numeric && current.numeric) {
    std::map<double, std::pair<double, double>> counts;
    AddCounts(reference.numbers, &counts, true);
    AddCounts(current.numbers, &counts, false);
    for (const auto& [value, c] : counts) {
      out.labels.push_back(FormatNumber(value));
      out.reference.push_back(c.first);
      out.current.push_back(c.second);
    }
    return out;
  }
  CleanValues ref = AsText(reference), cur = AsText(current);
  std::map<std::string, std::pair<double, double>> counts;
  AddCounts(ref.strings, &counts, true);
  AddCounts(cur.strings, &counts, false);
  for (const auto& [label, c] : counts) {
    out.labels.push_back(label);
    out.reference.push_back(c.first);
    out.current.push_back(c.second);
  }
  return out;
}

}  // namespace ferry::monitoring
