#include "monitoring/drift/column_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "common/strings.h"
#include "monitoring/stats/binning.h"

namespace ferry::monitoring {
namespace {

constexpr size_t kIntegerCardinalityLimit = 10;

bool AllWhole(const std::vector<double>& values) {
  for (double v : values) {
    if (v != std::floor(v)) return false;
  }
  return true;
}

}  // namespace

std::string_view DriftColumnTypeName(DriftColumnType type) {
  switch (type) {
    case DriftColumnType::kNum:
      return "num";
    case DriftColumnType::kCat:
      return "cat";
    case DriftColumnType::kText:
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

CleanValues AsText(const CleanValues& values) {
  if (!values.numeric) return values;
  CleanValues out;
  out.numeric = false;
  out.dropped = values.dropped;
  out.strings.reserve(values.numbers.size());
  for (double v : values.numbers) out.strings.push_back(FormatShortest(v));
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

DriftColumnType InferColumnType(const CleanValues& reference) {
  if (reference.numeric) {
    if (AllWhole(reference.numbers) && DistinctCount(reference) <= kIntegerCardinalityLimit) {
      return DriftColumnType::kCat;
    }
    return DriftColumnType::kNum;
  }
  size_t distinct = DistinctCount(reference);
  return 2 * distinct > reference.strings.size() ? DriftColumnType::kText : DriftColumnType::kCat;
}

LabelledCounts CountCategories(const CleanValues& reference, const CleanValues& current) {
  LabelledCounts out;
  if (reference.numeric && current.numeric) {
    BinnedCounts counts = ValueBinCounts(reference.numbers, current.numbers);
    for (double key : counts.keys) out.labels.push_back(FormatShortest(key));
    out.reference = std::move(counts.ref);
    out.current = std::move(counts.cur);
    return out;
  }
  CleanValues ref = AsText(reference), cur = AsText(current);
  std::vector<std::string_view> ref_views(ref.strings.begin(), ref.strings.end());
  std::vector<std::string_view> cur_views(cur.strings.begin(), cur.strings.end());
  CategoryCounts counts = CategoryBinCounts(ref_views, cur_views);
  out.labels = std::move(counts.keys);
  out.reference = std::move(counts.ref);
  out.current = std::move(counts.cur);
  return out;
}

}  // namespace ferry::monitoring
