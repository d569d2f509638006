#include "monitoring/live/frame_conform.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "common/strings.h"

namespace ferry::monitoring {
namespace {

double ParseNumber(const std::string& s) {
  if (s.empty()) return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  return (end != s.c_str() && *end == '\0') ? v : std::numeric_limits<double>::quiet_NaN();
}

void AppendColumn(const Column* src, size_t begin, size_t end, Column* out) {
  const size_t n = end - begin;
  if (src == nullptr) {
    if (out->numeric) {
      out->numbers.insert(out->numbers.end(), n, std::numeric_limits<double>::quiet_NaN());
    } else {
      out->strings.insert(out->strings.end(), n, std::string());
    }
    return;
  }
  for (size_t row = begin; row < end; ++row) {
    if (out->numeric) {
      out->numbers.push_back(src->numeric ? src->numbers[row] : ParseNumber(src->strings[row]));
    } else if (!src->numeric) {
      out->strings.push_back(src->strings[row]);
    } else {
      out->strings.push_back(std::isnan(src->numbers[row]) ? std::string()
                                                           : FormatShortest(src->numbers[row]));
    }
  }
}

}  // namespace

void ConformPlan::Resolve(const Frame& frame, const LiveSchema& schema, size_t max_unknown) {
  bool same = schema_ == &schema && names_.size() == frame.columns.size();
  for (size_t i = 0; same && i < names_.size(); ++i) same = names_[i] == frame.columns[i].name;
  if (same) return;
  schema_ = &schema;
  names_.clear();
  for (const Column& c : frame.columns) names_.push_back(c.name);
  std::unordered_map<std::string_view, int> at;
  for (size_t i = 0; i < frame.columns.size(); ++i) {
    at.emplace(frame.columns[i].name, static_cast<int>(i));  // the first of equal names
  }
  sources_.assign(schema.size(), -1);
  std::unordered_set<std::string_view> known;
  for (size_t i = 0; i < schema.size(); ++i) {
    known.insert(schema[i].first);
    if (auto it = at.find(schema[i].first); it != at.end()) sources_[i] = it->second;
  }
  unknown_.clear();
  for (const Column& c : frame.columns) {
    if (unknown_.size() >= max_unknown) break;
    if (known.count(c.name) == 0) unknown_.push_back(c.name);
  }
}

Frame EmptyConformed(const LiveSchema& schema) {
  Frame out;
  out.columns.reserve(schema.size());
  for (const auto& [name, type] : schema) {
    out.columns.push_back(Column{name, type == ProfileColumnType::kNumeric, {}, {}});
  }
  return out;
}

void AppendConformed(const Frame& frame, const LiveSchema& schema, const ConformPlan& plan,
                     size_t begin, size_t end, Frame* out) {
  for (size_t i = 0; i < schema.size(); ++i) {
    const int src = plan.sources()[i];
    AppendColumn(src < 0 ? nullptr : &frame.columns[static_cast<size_t>(src)], begin, end,
                 &out->columns[i]);
  }
}

void ClearColumns(Frame* frame) {
  for (Column& c : frame->columns) {
    c.numbers.clear();
    c.strings.clear();
  }
}

bool FrameIsRectangular(const Frame& frame, size_t rows) {
  for (const Column& c : frame.columns) {
    if (c.size() != rows) return false;
  }
  return true;
}

std::string CellText(const Column* c, size_t row) {
  if (c == nullptr) return "";
  if (!c->numeric) return c->strings[row];
  return std::isnan(c->numbers[row]) ? "" : FormatShortest(c->numbers[row]);
}

double CellNumber(const Column* c, size_t row) {
  if (c == nullptr) return std::numeric_limits<double>::quiet_NaN();
  if (c->numeric) return c->numbers[row];
  const std::string& s = c->strings[row];
  return ParseNumber(s);
}

const Column* PrimaryPrediction(const Frame& predictions, const std::string& name) {
  if (const Column* c = predictions.Find(name)) return c;
  return predictions.columns.empty() ? nullptr : &predictions.columns[0];
}

}  // namespace ferry::monitoring
