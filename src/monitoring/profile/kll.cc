#include "monitoring/profile/kll.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "monitoring/profile/byte_io.h"
#include "monitoring/profile/hash.h"
#include "monitoring/stats/radix_sort.h"

namespace ferry::monitoring {
namespace {

constexpr size_t kMaxLevels = 61;
constexpr double kInf = std::numeric_limits<double>::infinity();

// round(k * (2/3)^depth) in integers, as DataSketches' kll_helper::int_cap_aux.
uint64_t CapAuxAux(uint64_t k, size_t depth) {
  uint64_t pow3 = 1;
  for (size_t i = 0; i < depth; ++i) pow3 *= 3;
  const uint64_t tmp = ((k << 1) << depth) / pow3;
  return (tmp + 1) >> 1;
}

uint64_t CapAux(uint64_t k, size_t depth) {
  if (depth <= 30) return CapAuxAux(k, depth);
  const size_t half = depth / 2;
  return CapAuxAux(CapAuxAux(k, half), depth - half);
}

}  // namespace

double KllSortedView::Rank(double x) const {
  if (n == 0) return 0.0;
  const size_t idx = std::upper_bound(items.begin(), items.end(), x) - items.begin();
  if (idx == 0) return 0.0;
  return static_cast<double>(cumulative[idx - 1]) / static_cast<double>(n);
}

double KllSortedView::Quantile(double q) const {
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  if (!(q > 0.0)) return min;
  if (q >= 1.0) return max;
  const uint64_t weight = static_cast<uint64_t>(std::ceil(q * static_cast<double>(n)));
  size_t idx = std::lower_bound(cumulative.begin(), cumulative.end(), weight) - cumulative.begin();
  if (idx >= items.size()) idx = items.size() - 1;
  return items[idx];
}

KllSketch::KllSketch(uint16_t k, uint64_t seed)
    : k_(std::max(k, kMinK)), min_k_(k_), rng_(Mix64(seed ^ 0x6B6C6C)), min_(kInf), max_(-kInf) {
  levels_.reserve(kMaxLevels + 1);
  levels_.emplace_back();
  RecomputeCapacity();
}

void KllSketch::RecomputeCapacity() {
  capacity_ = 0;
  level_capacity_.resize(levels_.size());
  for (size_t h = 0; h < levels_.size(); ++h) {
    const size_t depth = levels_.size() - h - 1;
    level_capacity_[h] = static_cast<uint32_t>(std::max<uint64_t>(m_, CapAux(k_, depth)));
    capacity_ += level_capacity_[h];
  }
}

bool KllSketch::Coin() {
  rng_ += 0x9E3779B97F4A7C15ULL;
  return (Mix64(rng_) >> 63) != 0;
}

void KllSketch::Compress() {
  while (retained_ > capacity_) {
    size_t h = 0;
    while (h + 1 < levels_.size() && levels_[h].size() < level_capacity_[h]) ++h;
    if (h + 1 == levels_.size()) {
      if (levels_.size() >= kMaxLevels) return;  // unreachable below 2^61 items
      levels_.emplace_back();
      RecomputeCapacity();
    }
    CompactLevel(h);
  }
}

// Halves level `h` into level h+1: sorted, every other item from a coin-chosen offset; an
// odd item out (the smallest) stays.
void KllSketch::CompactLevel(size_t h) {
  std::vector<double>& lv = levels_[h];
  if (h == 0) std::sort(lv.begin(), lv.end());
  const size_t start = lv.size() % 2;
  const size_t promoted = (lv.size() - start) / 2;
  Promote(lv, start + (Coin() ? 1 : 0), levels_[h + 1]);
  retained_ -= static_cast<uint32_t>(lv.size() - start - promoted);
  lv.resize(start);
}

void KllSketch::Promote(const std::vector<double>& lv, size_t first, std::vector<double>& up) {
  const size_t end = lv.size();
  const size_t promoted = first < end ? (end - first + 1) / 2 : 0;
  scratch_.resize(up.size() + promoted);
  size_t i = first, j = 0, o = 0;
  const size_t up_size = up.size();
  while (i < end && j < up_size) {  // branch-free: the comparison is a coin flip on real data
    const double a = lv[i], b = up[j];
    const bool take_a = a <= b;
    scratch_[o++] = take_a ? a : b;
    i += take_a ? 2 : 0;
    j += take_a ? 0 : 1;
  }
  for (; i < end; i += 2) scratch_[o++] = lv[i];
  for (; j < up.size(); ++j) scratch_[o++] = up[j];
  up.swap(scratch_);
}

void KllSketch::UpdateBatch(std::span<const double> values) {
  thread_local std::vector<double> block;
  size_t i = 0;
  while (i < values.size()) {
    block.clear();
    for (; i < values.size() && block.size() < kBlock; ++i) {
      if (values[i] - values[i] == 0.0) block.push_back(values[i]);
    }
    if (retained_ + block.size() <= capacity_) {
      for (double v : block) UpdateFinite(v);
    } else {
      CompactBlock(block);
    }
  }
}

void KllSketch::CompactBlock(std::vector<double>& block) {
  n_ += block.size();
  std::vector<double>& level0 = levels_[0];
  retained_ -= static_cast<uint32_t>(level0.size());
  block.insert(block.end(), level0.begin(), level0.end());
  level0.clear();
  SortDoubles(block);
  min_ = std::min(min_, block.front());
  max_ = std::max(max_, block.back());
  if (levels_.size() == 1) {
    levels_.emplace_back();
    RecomputeCapacity();
  }
  const size_t start = block.size() % 2;
  if (start == 1) level0.push_back(block[0]);
  const size_t before = levels_[1].size();
  Promote(block, start + (Coin() ? 1 : 0), levels_[1]);
  retained_ += static_cast<uint32_t>(start + levels_[1].size() - before);
  Compress();
}

void KllSketch::Merge(const KllSketch& other) {
  if (other.empty()) return;
  if (&other == this) {
    const KllSketch copy = other;
    Merge(copy);
    return;
  }
  n_ += other.n_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  min_k_ = std::min(min_k_, other.min_k_);
  while (levels_.size() < other.levels_.size()) levels_.emplace_back();
  const auto& src0 = other.levels_[0];
  levels_[0].insert(levels_[0].end(), src0.begin(), src0.end());
  for (size_t h = 1; h < other.levels_.size(); ++h) {
    const auto& src = other.levels_[h];
    auto& dst = levels_[h];
    scratch_.resize(dst.size() + src.size());
    std::merge(dst.begin(), dst.end(), src.begin(), src.end(), scratch_.begin());
    dst.swap(scratch_);
  }
  retained_ += other.retained_;
  RecomputeCapacity();
  Compress();
}

KllSortedView KllSketch::View() const {
  std::vector<std::pair<double, uint64_t>> pairs;
  pairs.reserve(retained_);
  for (size_t h = 0; h < levels_.size(); ++h) {
    for (double v : levels_[h]) pairs.emplace_back(v, uint64_t{1} << h);
  }
  std::sort(pairs.begin(), pairs.end());
  KllSortedView view;
  view.n = n_;
  view.min = min_;
  view.max = max_;
  view.items.reserve(pairs.size());
  view.cumulative.reserve(pairs.size());
  uint64_t total = 0;
  for (const auto& [v, w] : pairs) {
    total += w;
    view.items.push_back(v);
    view.cumulative.push_back(total);
  }
  return view;
}

std::vector<double> KllSketch::Cdf(std::span<const double> split_points) const {
  std::vector<double> out;
  out.reserve(split_points.size() + 1);
  const KllSortedView view = View();
  for (double s : split_points) out.push_back(view.Rank(s));
  out.push_back(empty() ? 0.0 : 1.0);
  return out;
}

std::vector<double> KllSketch::Pmf(std::span<const double> split_points) const {
  std::vector<double> out = Cdf(split_points);
  for (size_t i = out.size(); i-- > 1;) out[i] -= out[i - 1];
  return out;
}

double KllSketch::NormalizedRankError(uint16_t k, bool pmf) {
  const double kd = static_cast<double>(std::max(k, kMinK));
  return pmf ? 2.446 / std::pow(kd, 0.9433) : 2.296 / std::pow(kd, 0.9723);
}

}  // namespace ferry::monitoring
