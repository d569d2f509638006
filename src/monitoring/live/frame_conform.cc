#include "monitoring/live/frame_conform.h"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "common/strings.h"

namespace ferry::monitoring {
namespace {

double ParseNumber(const std::string& s) {
  if (s.empty()) return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  return (end != s.c_str() && *end == '\0') ? v : std::numeric_limits<double>::quiet_NaN();
}

Column Convert(const Column* src, const std::string& name, ProfileColumnType type, size_t begin,
               size_t end) {
  Column out;
  out.name = name;
  out.numeric = type == ProfileColumnType::kNumeric;
  const size_t n = end - begin;
  if (out.numeric) {
    out.numbers.assign(n, std::numeric_limits<double>::quiet_NaN());
  } else {
    out.strings.assign(n, std::string());
  }
  if (src == nullptr) return out;
  for (size_t i = 0; i < n; ++i) {
    const size_t row = begin + i;
    if (out.numeric) {
      out.numbers[i] = src->numeric ? src->numbers[row] : ParseNumber(src->strings[row]);
    } else if (!src->numeric) {
      out.strings[i] = src->strings[row];
    } else if (!std::isnan(src->numbers[row])) {
      out.strings[i] = FormatShortest(src->numbers[row]);
    }
  }
  return out;
}

}  // namespace

Frame ConformFrame(const Frame& frame, const LiveSchema& schema, size_t begin, size_t end,
                   std::set<std::string>* unknown, size_t max_unknown) {
  Frame out;
  out.columns.reserve(schema.size());
  for (const auto& [name, type] : schema) {
    out.columns.push_back(Convert(frame.Find(name), name, type, begin, end));
  }
  for (const Column& c : frame.columns) {
    if (unknown->size() >= max_unknown) break;
    bool known = false;
    for (const auto& entry : schema) known = known || entry.first == c.name;
    if (!known) unknown->insert(c.name);
  }
  return out;
}

bool FrameIsRectangular(const Frame& frame, size_t rows) {
  for (const Column& c : frame.columns) {
    if (c.size() != rows) return false;
  }
  return true;
}

}  // namespace ferry::monitoring
