#include "monitoring/data/value_kind.h"

#include <cmath>

#include "common/strings.h"

namespace ferry::monitoring {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool LooksLikeInt(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  return AllDigits(s);
}

}  // namespace

CellValue ClassifyCell(std::string_view cell) {
  CellValue v;
  v.text = cell;
  if (cell.empty()) return v;
  if (EqualsIgnoreCase(cell, "true") || EqualsIgnoreCase(cell, "false")) {
    v.kind = ValueKind::kBool;
    v.int_value = EqualsIgnoreCase(cell, "true") ? 1 : 0;
    v.number = static_cast<double>(v.int_value);
    return v;
  }
  if (LooksLikeInt(cell)) {
    if (std::optional<int64_t> i = ParseInt64(cell)) {
      v.kind = ValueKind::kInt;
      v.int_value = *i;
      v.number = static_cast<double>(*i);
      return v;
    }
  }
  std::optional<double> d = ParseDouble(cell);
  if (!d) {
    v.kind = ValueKind::kString;
    return v;
  }
  v.number = *d;
  if (std::isnan(*d)) {
    v.kind = ValueKind::kNan;
  } else if (std::isinf(*d)) {
    // strtod gives +-inf for overflowing numbers too ("1e999"): still an infinity as a value.
    v.kind = ValueKind::kInf;
  } else {
    v.kind = ValueKind::kFloat;
  }
  return v;
}

}  // namespace ferry::monitoring
