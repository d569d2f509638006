#include "monitoring/data/column_summary.h"

#include <algorithm>

namespace ferry::monitoring {
namespace {

template <typename T>
void Widen(std::optional<T>& lo, std::optional<T>& hi, T v) {
  lo = lo ? std::min(*lo, v) : v;
  hi = hi ? std::max(*hi, v) : v;
}

void Count(ColumnSummary& s, const CellValue& v) {
  switch (v.kind) {
    case ValueKind::kMissing:
      ++s.missing;
      return;
    case ValueKind::kBool:
      ++s.bools;
      return;
    case ValueKind::kInt:
      ++s.ints;
      Widen(s.int_min, s.int_max, v.int_value);
      Widen(s.min, s.max, v.number);
      return;
    case ValueKind::kFloat:
      ++s.floats;
      Widen(s.min, s.max, v.number);
      return;
    case ValueKind::kNan:
      ++s.nans;
      return;
    case ValueKind::kInf:
      ++s.infs;
      return;
    case ValueKind::kString:
      ++s.strings;
      return;
  }
}

}  // namespace

ColumnSummary Summarize(const std::vector<std::string>& cells) {
  ColumnSummary s;
  s.rows = static_cast<int64_t>(cells.size());
  for (const std::string& cell : cells) {
    CellValue v = ClassifyCell(cell);
    Count(s, v);
    if (v.kind == ValueKind::kMissing) continue;
    auto it = s.values.find(cell);
    if (it != s.values.end()) {
      ++it->second;
    } else if (s.values.size() < kMaxTrackedValues) {
      s.values.emplace(cell, 1);
    } else {
      ++s.untracked;
    }
  }
  s.cells = &cells;
  return s;
}

void ColumnSummary::ForEachValue(const std::function<void(std::string_view, int64_t)>& f) const {
  for (const auto& [text, n] : values) f(text, n);
  if (untracked == 0 || cells == nullptr) return;
  for (const std::string& cell : *cells) {
    if (values.count(cell) == 0 && ClassifyCell(cell).kind != ValueKind::kMissing) f(cell, 1);
  }
}

}  // namespace ferry::monitoring
