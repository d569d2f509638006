#include "monitoring/data/describe.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "common/strings.h"

namespace ferry::monitoring {

std::string FormatCount(int64_t n) {
  std::string digits = std::to_string(n);
  if (n < 0) return digits;  // counts are never negative
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string FormatShare(int64_t part, int64_t whole) {
  if (whole <= 0) return "0%";
  if (part == whole) return "100%";
  double pct = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  if (pct == 0) return "0%";
  if (pct < 0.001) return "<0.001%";
  char buf[32];
  std::snprintf(buf, sizeof(buf), pct < 1 ? "%.2g" : "%.1f", pct);
  std::string s(buf);
  if (s.size() > 2 && s.substr(s.size() - 2) == ".0") s.resize(s.size() - 2);
  if (s == "100") s = ">99.9";
  return s + "%";
}

std::string FormatPercent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4g%%", fraction * 100);
  return buf;
}

std::string QuoteValue(std::string_view v) {
  constexpr size_t kMax = 40;
  if (v.size() <= kMax) return "'" + std::string(v) + "'";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(v.substr(0, cut)) + "...'";
}

std::string PartOf(int64_t part, int64_t whole, std::string_view noun) {
  return FormatCount(part) + " of " + FormatCount(whole) + " " + std::string(noun) + " (" +
         FormatShare(part, whole) + ")";
}

ValueCounts TopValues(ValueCounts values, size_t limit) {
  auto order = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  if (values.size() > limit) {
    std::partial_sort(values.begin(), values.begin() + limit, values.end(), order);
    values.resize(limit);
  } else {
    std::sort(values.begin(), values.end(), order);
  }
  return values;
}

std::string ListValues(const ValueCounts& values) {
  std::string out;
  for (const auto& [value, count] : values) {
    if (!out.empty()) out += ", ";
    out += QuoteValue(value) + " (" + FormatCount(count) + ")";
  }
  return out;
}

}  // namespace ferry::monitoring
