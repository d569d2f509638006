#pragma once
// Numbers and values as the sentences of anomalies write them: "3 of 1,000 values (0.3%)".

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferry::monitoring {

std::string FormatCount(int64_t n);  // 1234567 -> "1,234,567"
// part/whole as a percentage: "0.3%", "25%", "<0.001%"; never "100%" unless part == whole.
std::string FormatShare(int64_t part, int64_t whole);
// A fraction as a percentage with at most 4 significant digits: 0.01 -> "1%", 0.855 -> "85.5%".
std::string FormatPercent(double fraction);  // shortest round-trip form: 99, 2.5, 1e+300
// `v` in single quotes, cut to 40 bytes (at a UTF-8 boundary) with "..." when longer.
std::string QuoteValue(std::string_view v);
// "<part> of <whole> <noun> (<share>)".
std::string PartOf(int64_t part, int64_t whole, std::string_view noun);

// Values with their counts, most frequent first (ties by value), at most `limit`.
using ValueCounts = std::vector<std::pair<std::string_view, int64_t>>;
ValueCounts TopValues(ValueCounts values, size_t limit);
// "'purple' (10), 'teal' (2)".
std::string ListValues(const ValueCounts& values);

}  // namespace ferry::monitoring
