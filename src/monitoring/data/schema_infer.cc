#include "monitoring/data/schema_infer.h"

#include <algorithm>
#include <cmath>

#include "common/strings.h"
#include "monitoring/data/column_summary.h"

namespace ferry::monitoring {
namespace {

ColumnType InferType(const ColumnSummary& s) {
  if (s.present() == 0) return ColumnType::kUnknown;
  if (s.strings > 0 || (s.bools > 0 && s.numbers() > 0)) return ColumnType::kString;
  if (s.bools > 0) return ColumnType::kBool;
  if (s.ints == s.present()) return ColumnType::kInt;
  return ColumnType::kFloat;
}

Presence InferPresence(const ColumnSummary& s, double slack) {
  Presence p;
  p.min_count = s.present() > 0 ? 1 : 0;
  if (s.rows == 0) return p;
  if (s.missing == 0) {
    p.min_fraction = 1.0;
    return p;
  }
  double present = static_cast<double>(s.present()) / static_cast<double>(s.rows);
  // Rounded down to 0.001 so that the JSON form stays short.
  p.min_fraction = std::max(0.0, std::floor((present - slack) * 1000.0) / 1000.0);
  return p;
}

std::optional<StringDomain> InferStringDomain(const ColumnSummary& s, size_t max_size) {
  if (s.untracked > 0 || s.values.size() > max_size) return std::nullopt;
  StringDomain domain;
  for (const auto& [value, count] : s.values) {
    if (!IsValidUtf8(value)) return std::nullopt;  // TFDV: no domain for invalid UTF-8
    domain.values.emplace_back(value);
  }
  std::sort(domain.values.begin(), domain.values.end());
  return domain;
}

ColumnSchema InferColumn(const std::string& name, const std::vector<std::string>& cells,
                         const InferOptions& options) {
  ColumnSummary s = Summarize(cells);
  ColumnSchema c;
  c.name = name;
  c.type = InferType(s);
  c.presence = InferPresence(s, options.presence_slack);
  c.observed = {s.present(), s.missing, static_cast<int64_t>(s.values.size())};
  if (c.type == ColumnType::kInt) c.int_domain = IntDomain{*s.int_min, *s.int_max};
  if (c.type == ColumnType::kFloat) {
    c.float_domain = FloatDomain{s.min, s.max, s.nans == 0, s.infs == 0};
  }
  if (c.type == ColumnType::kString) {
    c.string_domain = InferStringDomain(s, options.max_string_domain_size);
  }
  return c;
}

}  // namespace

DataSchema InferSchema(const TextTable& table, const InferOptions& options) {
  DataSchema schema;
  schema.num_examples = static_cast<int64_t>(table.rows());
  schema.columns.reserve(table.names.size());
  for (size_t i = 0; i < table.names.size(); ++i) {
    schema.columns.push_back(InferColumn(table.names[i], table.cells[i], options));
  }
  return schema;
}

absl::Status CheckColumnNames(const TextTable& table) {
  for (size_t i = 0; i < table.names.size(); ++i) {
    if (!IsValidUtf8(table.names[i])) {
      return absl::InvalidArgumentError("column " + std::to_string(i + 1) +
                                        "'s name is not valid UTF-8");
    }
  }
  return absl::OkStatus();
}

}  // namespace ferry::monitoring
