#include "monitoring/drift/profile_bins.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <string>
#include <utility>

#include "common/strings.h"

namespace ferry::monitoring {
namespace {

constexpr char kOther[] = "(other)";

// Each value's lower-bound count, keyed by its text; the uncovered present values apart.
struct SideCounts {
  std::map<std::string, double> items;
  double other = 0;
};

SideCounts CountsOf(const ColumnProfile& p) {
  SideCounts out;
  const bool numeric = p.type() == ProfileColumnType::kNumeric;
  uint64_t covered = 0;
  for (const FrequentItem& item : p.items().AllItems()) {
    out.items[numeric ? IntegralItemText(item.item) : item.item] += static_cast<double>(item.lower);
    covered += item.lower;
  }
  const uint64_t present = PresentValues(p);
  if (present > covered) out.other = static_cast<double>(present - covered);
  return out;
}

std::string Edge(double v) { return FormatShortest(v); }

}  // namespace

uint64_t PresentValues(const ColumnProfile& p) { return p.count() - p.missing(); }

uint64_t PresentNumbers(const ColumnProfile& p, bool numbers) {
  return numbers ? p.kll().n() : PresentValues(p);
}

uint64_t ValidValues(const ColumnProfile& p) {
  return PresentNumbers(p, p.type() == ProfileColumnType::kNumeric);
}

LabelledCounts ProfileValueCounts(const ColumnProfile& ref, const ColumnProfile& cur) {
  SideCounts r = CountsOf(ref), c = CountsOf(cur);
  std::vector<std::string> labels;
  for (const auto& [label, n] : r.items) labels.push_back(label);
  for (const auto& [label, n] : c.items) {
    if (r.items.count(label) == 0) labels.push_back(label);
  }
  if (ref.type() == ProfileColumnType::kNumeric && cur.type() == ProfileColumnType::kNumeric) {
    std::sort(labels.begin(), labels.end(), [](const std::string& a, const std::string& b) {
      return std::strtoll(a.c_str(), nullptr, 10) < std::strtoll(b.c_str(), nullptr, 10);
    });
  } else {
    std::sort(labels.begin(), labels.end());
  }
  LabelledCounts out;
  for (const std::string& label : labels) {
    out.labels.push_back(label);
    auto ri = r.items.find(label);
    auto ci = c.items.find(label);
    out.reference.push_back(ri == r.items.end() ? 0.0 : ri->second);
    out.current.push_back(ci == c.items.end() ? 0.0 : ci->second);
  }
  if (r.other > 0 || c.other > 0) {
    out.labels.push_back(kOther);
    out.reference.push_back(r.other);
    out.current.push_back(c.other);
  }
  return out;
}

std::vector<double> DecileSplits(const KllSketch& sketch) {
  std::vector<double> out;
  if (sketch.empty()) return out;
  const KllSortedView view = sketch.View();
  for (int i = 1; i <= 9; ++i) {
    const double q = view.Quantile(i / 10.0);
    if (out.empty() || q > out.back()) out.push_back(q);
  }
  return out;
}

ColumnHistogram MakeProfileHistogram(DriftColumnType type, const ColumnProfile& ref,
                                     const ColumnProfile& cur, size_t max_bins) {
  max_bins = std::max<size_t>(max_bins, 2);
  ColumnHistogram out;
  if (type == DriftColumnType::kNum && ref.type() == ProfileColumnType::kNumeric &&
      cur.type() == ProfileColumnType::kNumeric) {
    const double lo = std::min(ref.kll().min(), cur.kll().min());
    const double hi = std::max(ref.kll().max(), cur.kll().max());
    if (!(lo <= hi)) return out;
    const double n = static_cast<double>(ref.kll().n() + cur.kll().n());
    size_t bins = lo == hi ? 1 : static_cast<size_t>(std::ceil(std::log2(std::max(n, 1.0)))) + 1;
    bins = std::min(bins, max_bins);
    std::vector<double> inner;
    for (size_t i = 1; i < bins; ++i) {
      inner.push_back(lo + static_cast<double>(i) * (hi - lo) / static_cast<double>(bins));
    }
    for (size_t i = 0; i < bins; ++i) {
      const double a = i == 0 ? lo : inner[i - 1], b = i + 1 == bins ? hi : inner[i];
      out.labels.push_back("[" + Edge(a) + ", " + Edge(b) + (i + 1 == bins ? "]" : ")"));
    }
    out.reference = ref.kll().empty() ? std::vector<double>(bins, 0.0) : ref.kll().Pmf(inner);
    out.current = cur.kll().empty() ? std::vector<double>(bins, 0.0) : cur.kll().Pmf(inner);
    return out;
  }
  return TopCategories(ProfileValueCounts(ref, cur), max_bins);
}

}  // namespace ferry::monitoring
