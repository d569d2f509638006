// ValidateValues (validate.h): type, range, NaN/inf and domain checks of one column.

#include <functional>
#include <limits>
#include <optional>
#include <set>

#include "common/strings.h"
#include "monitoring/data/describe.h"
#include "monitoring/data/validate.h"

namespace ferry::monitoring {
namespace {

constexpr size_t kExamples = 3;

// The present values for which `pred` holds: how many, the most frequent few, and the
// smallest and largest number among them.
struct Hits {
  int64_t count = 0;
  ValueCounts values;
  double lowest = std::numeric_limits<double>::infinity();
  double highest = -std::numeric_limits<double>::infinity();
};

Hits Find(const ColumnSummary& s, const std::function<bool(const CellValue&)>& pred) {
  Hits hits;
  s.ForEachValue([&](std::string_view text, int64_t n) {
    CellValue v = ClassifyCell(text);
    if (!pred(v)) return;
    hits.count += n;
    hits.values.emplace_back(text, n);
    hits.lowest = std::min(hits.lowest, v.number);
    hits.highest = std::max(hits.highest, v.number);
  });
  hits.values = TopValues(std::move(hits.values), kExamples);
  return hits;
}

class ColumnCheck {
 public:
  ColumnCheck(const ColumnSchema& c, const ColumnSummary& s, std::vector<Anomaly>& out)
      : c_(c), s_(s), out_(out) {}

  // Raises `kind` when some values satisfy `pred`; `what` completes
  // "column 'x': 3 of 1,000 values (0.3%) <what>".
  void Raise(std::string_view kind, const std::function<bool(const CellValue&)>& pred,
             const std::function<std::string(const Hits&)>& what) {
    Hits hits = Find(s_, pred);
    if (hits.count == 0) return;
    Anomaly a = MakeAnomaly(c_.name, kind,
                            "column " + QuoteValue(c_.name) + ": " +
                                PartOf(hits.count, s_.present(), "values") + " " + what(hits),
                            hits.count);
    for (const auto& [value, n] : hits.values) a.examples.emplace_back(value);
    out_.push_back(std::move(a));
  }

  void Whole(std::string_view kind, std::string sentence) {
    out_.push_back(MakeAnomaly(c_.name, kind, "column " + QuoteValue(c_.name) + ": " + sentence,
                               s_.present()));
  }

  const ColumnSchema& c_;
  const ColumnSummary& s_;
  std::vector<Anomaly>& out_;
};

bool Is(const CellValue& v, ValueKind kind) { return v.kind == kind; }

std::function<std::string(const Hits&)> Say(std::string text) {
  return [text](const Hits& h) { return text + " (e.g. " + ListValues(h.values) + ")"; };
}

void CheckInt(ColumnCheck& check) {
  const std::string type = "; the schema's type is INT";
  check.Raise(
      "INT_TYPE_NOT_INT_STRING",
      [](const CellValue& v) { return Is(v, ValueKind::kString) || Is(v, ValueKind::kBool); },
      Say("are not numbers" + type));
  check.Raise(
      "UNEXPECTED_DATA_TYPE",
      [](const CellValue& v) { return IsNumber(v.kind) && !Is(v, ValueKind::kInt); },
      Say("are not integers" + type));
  const std::optional<IntDomain>& d = check.c_.int_domain;
  if (!d) return;
  check.Raise(
      "INT_TYPE_BIG_INT",
      [max = d->max](const CellValue& v) { return Is(v, ValueKind::kInt) && v.int_value > max; },
      [max = d->max](const Hits& h) {
        return "are above the schema's maximum " + std::to_string(max) +
               " (largest seen: " + FormatShortest(h.highest) + ")";
      });
  check.Raise(
      "INT_TYPE_SMALL_INT",
      [min = d->min](const CellValue& v) { return Is(v, ValueKind::kInt) && v.int_value < min; },
      [min = d->min](const Hits& h) {
        return "are below the schema's minimum " + std::to_string(min) +
               " (smallest seen: " + FormatShortest(h.lowest) + ")";
      });
}

bool Finite(const CellValue& v) { return Is(v, ValueKind::kInt) || Is(v, ValueKind::kFloat); }

void CheckFloat(ColumnCheck& check) {
  check.Raise(
      "FLOAT_TYPE_STRING_NOT_FLOAT",
      [](const CellValue& v) { return Is(v, ValueKind::kString) || Is(v, ValueKind::kBool); },
      Say("are not numbers; the schema's type is FLOAT"));
  const std::optional<FloatDomain>& d = check.c_.float_domain;
  if (!d) return;
  if (d->max) {
    check.Raise(
        "FLOAT_TYPE_BIG_FLOAT",
        [max = *d->max](const CellValue& v) { return Finite(v) && v.number > max; },
        [max = *d->max](const Hits& h) {
          return "are above the schema's maximum " + FormatShortest(max) +
                 " (largest seen: " + FormatShortest(h.highest) + ")";
        });
  }
  if (d->min) {
    check.Raise(
        "FLOAT_TYPE_SMALL_FLOAT",
        [min = *d->min](const CellValue& v) { return Finite(v) && v.number < min; },
        [min = *d->min](const Hits& h) {
          return "are below the schema's minimum " + FormatShortest(min) +
                 " (smallest seen: " + FormatShortest(h.lowest) + ")";
        });
  }
  if (d->disallow_nan) {
    check.Raise(
        "FLOAT_TYPE_HAS_NAN", [](const CellValue& v) { return Is(v, ValueKind::kNan); },
        [](const Hits&) { return std::string("are NaN, which the schema disallows"); });
  }
  if (d->disallow_inf) {
    check.Raise(
        "FLOAT_TYPE_HAS_INF", [](const CellValue& v) { return Is(v, ValueKind::kInf); },
        Say("are infinite, which the schema disallows"));
  }
}

void CheckBool(ColumnCheck& check) {
  check.Raise(
      "BOOL_TYPE_UNEXPECTED_STRING", [](const CellValue& v) { return Is(v, ValueKind::kString); },
      Say("are neither true nor false; the schema's type is BOOL"));
  check.Raise(
      "BOOL_TYPE_UNEXPECTED_FLOAT",
      [](const CellValue& v) { return IsNumber(v.kind) && !Is(v, ValueKind::kInt); },
      Say("are non-integer numbers; the schema's type is BOOL"));
  check.Raise(
      "BOOL_TYPE_BIG_INT",
      [](const CellValue& v) { return Is(v, ValueKind::kInt) && v.int_value > 1; },
      [](const Hits& h) {
        return "are integers above 1; the schema's type is BOOL (largest seen: " +
               FormatShortest(h.highest) + ")";
      });
  check.Raise(
      "BOOL_TYPE_SMALL_INT",
      [](const CellValue& v) { return Is(v, ValueKind::kInt) && v.int_value < 0; },
      [](const Hits& h) {
        return "are negative integers; the schema's type is BOOL (smallest seen: " +
               FormatShortest(h.lowest) + ")";
      });
}

void CheckString(ColumnCheck& check) {
  const ColumnSummary& s = check.s_;
  if (s.strings == 0 && s.bools == 0) {
    if (s.ints == s.present()) {
      check.Whole("STRING_TYPE_NOW_INT",
                  "every value is now an integer; the schema's type is STRING");
    } else {
      check.Whole("STRING_TYPE_NOW_FLOAT",
                  "every value is now a number; the schema's type is STRING");
    }
  }
  const std::optional<StringDomain>& d = check.c_.string_domain;
  if (!d) return;
  std::set<std::string_view> known(d->values.begin(), d->values.end());
  int64_t outside = 0;
  s.ForEachValue([&](std::string_view text, int64_t n) { outside += known.count(text) ? 0 : n; });
  const double allowed = 1.0 - d->min_domain_mass;
  if (outside == 0 || static_cast<double>(outside) / static_cast<double>(s.present()) <= allowed) {
    return;
  }
  std::string what =
      "are not among the schema's " + FormatCount(d->values.size()) + " known values";
  if (allowed > 0) what += ", more than the " + FormatPercent(allowed) + " it allows";
  check.Raise(
      "ENUM_TYPE_UNEXPECTED_STRING_VALUES",
      [&known](const CellValue& v) { return known.count(v.text) == 0; },
      [what](const Hits& h) { return what + " (most common: " + ListValues(h.values) + ")"; });
}

}  // namespace

void ValidateValues(const ColumnSchema& column, const ColumnSummary& summary,
                    std::vector<Anomaly>& out) {
  ColumnCheck check(column, summary, out);
  switch (column.type) {
    case ColumnType::kInt:
      return CheckInt(check);
    case ColumnType::kFloat:
      return CheckFloat(check);
    case ColumnType::kBool:
      return CheckBool(check);
    case ColumnType::kString:
      return CheckString(check);
    case ColumnType::kUnknown:
      return;
  }
}

}  // namespace ferry::monitoring
