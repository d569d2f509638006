// libFuzzer target for the MLflow search grammar (core/search/search_parser.h).
//
// The input is used whole as a run filter and as an experiment filter, and split on '\n' into
// order_by items. Properties checked:
//   * every error is kInvalidArgument and ends with " at position <n>", n <= input size;
//   * a filter that parses re-renders to canonical text (entity.`key` op value) that parses
//     back to the same comparisons (skipped when a key or value holds every quote character).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/search/search_parser.h"
#include "fuzz_check.h"

namespace {

using ferry::CompareOp;
using ferry::Comparison;
using ferry::SearchEntity;

// Quotes `text` with the first of `quotes` it does not contain; nullopt if it has them all
// (or a backslash, which would read as an escape inside ' and ").
std::optional<std::string> Quote(const std::string& text, std::string_view quotes) {
  const bool has_backslash = text.find('\\') != std::string::npos;
  for (char q : quotes) {
    if (text.find(q) != std::string::npos || (has_backslash && q != '`')) continue;
    return std::string(1, q) + text + q;
  }
  return std::nullopt;
}

const char* Prefix(SearchEntity entity) {
  switch (entity) {
    case SearchEntity::kMetric:
      return "metrics.";
    case SearchEntity::kParam:
      return "params.";
    case SearchEntity::kTag:
      return "tags.";
    case SearchEntity::kDataset:
      return "datasets.";
    case SearchEntity::kAttribute:
      return "attribute.";
  }
  return "";
}

std::optional<std::string> RenderValue(const Comparison& c) {
  if (c.value.is_number) return c.value.text;
  if (c.op != CompareOp::kIn && c.op != CompareOp::kNotIn) return Quote(c.value.text, "'\"");
  std::string out = "(";
  for (const std::string& item : c.value.list) {
    std::optional<std::string> quoted = Quote(item, "'\"");
    if (!quoted) return std::nullopt;
    out += (out.size() > 1 ? ", " : "") + *quoted;
  }
  return out + ")";
}

std::optional<std::string> Render(const std::vector<Comparison>& comparisons) {
  std::string out;
  for (const Comparison& c : comparisons) {
    // Backticks first: inside them a backslash is an ordinary character.
    std::optional<std::string> key = Quote(c.key, "`\"");
    std::optional<std::string> value = RenderValue(c);
    if (!key || !value) return std::nullopt;
    if (!out.empty()) out += " AND ";
    out += Prefix(c.entity) + *key + " " + ferry::CompareOpText(c.op) + " " + *value;
  }
  return out;
}

bool Same(const std::vector<Comparison>& a, const std::vector<Comparison>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const Comparison& x = a[i];
    const Comparison& y = b[i];
    if (x.entity != y.entity || x.key != y.key || x.op != y.op ||
        x.value.is_number != y.value.is_number || x.value.text != y.value.text ||
        x.value.list != y.value.list) {
      return false;
    }
  }
  return true;
}

void FuzzFilter(absl::StatusOr<std::vector<Comparison>> (*parse)(std::string_view),
                std::string_view input) {
  absl::StatusOr<std::vector<Comparison>> parsed = parse(input);
  if (!parsed.ok()) return CheckErrorAtPosition(parsed.status(), input.size());
  std::optional<std::string> rendered = Render(*parsed);
  if (!rendered) return;
  absl::StatusOr<std::vector<Comparison>> again = parse(*rendered);
  Check(again.ok());
  Check(Same(*parsed, *again));
}

void FuzzOrderBy(
    absl::StatusOr<std::vector<ferry::OrderBy>> (*parse)(const std::vector<std::string>&),
    std::string_view input) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    size_t end = input.find('\n', start);
    items.emplace_back(input.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  absl::StatusOr<std::vector<ferry::OrderBy>> parsed = parse(items);
  if (!parsed.ok()) return CheckErrorAtPosition(parsed.status(), input.size());
  Check(parsed->size() == items.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  FuzzFilter(&ferry::ParseRunFilter, input);
  FuzzFilter(&ferry::ParseExperimentFilter, input);
  FuzzOrderBy(&ferry::ParseRunOrderBy, input);
  FuzzOrderBy(&ferry::ParseExperimentOrderBy, input);
  FuzzFilter(&ferry::ParseRegisteredModelFilter, input);
  FuzzFilter(&ferry::ParseModelVersionFilter, input);
  FuzzOrderBy(&ferry::ParseRegisteredModelOrderBy, input);
  FuzzOrderBy(&ferry::ParseModelVersionOrderBy, input);
  return 0;
}
