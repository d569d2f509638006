// KllSketch::EncodeTo / DecodeFrom: the sketch's part of the profile encoding.
//   u16 k, u16 min_k, u8 m, u64 coin state, u64 n; then, if n > 0:
//   f64 min, f64 max, u8 levels, u32 size of each level, the items of each level (f64).
#include <cmath>
#include <string>

#include "monitoring/profile/byte_io.h"
#include "monitoring/profile/kll.h"

namespace ferry::monitoring {
namespace {

constexpr size_t kMaxLevels = 61;

bool Finite(double v) { return v - v == 0.0; }

}  // namespace

void KllSketch::EncodeTo(ByteWriter& out) const {
  out.U16(k_);
  out.U16(min_k_);
  out.U8(m_);
  out.U64(rng_);
  out.U64(n_);
  if (n_ == 0) return;
  out.F64(min_);
  out.F64(max_);
  out.U8(static_cast<uint8_t>(levels_.size()));
  for (const auto& level : levels_) out.U32(static_cast<uint32_t>(level.size()));
  for (const auto& level : levels_) {
    for (double v : level) out.F64(v);
  }
}

absl::StatusOr<KllSketch> KllSketch::DecodeFrom(ByteReader& in) {
  const size_t start = in.offset();
  uint16_t k = 0, min_k = 0;
  uint8_t m = 0;
  uint64_t rng = 0, n = 0;
  RETURN_IF_ERROR(in.U16(&k, "kll.k"));
  RETURN_IF_ERROR(in.U16(&min_k, "kll.min_k"));
  RETURN_IF_ERROR(in.U8(&m, "kll.m"));
  RETURN_IF_ERROR(in.U64(&rng, "kll.coin"));
  RETURN_IF_ERROR(in.U64(&n, "kll.n"));
  if (k < kMinK) return in.InvalidAt(start, "kll.k", std::to_string(k) + " below 8");
  if (min_k < kMinK || min_k > k) {
    return in.InvalidAt(start, "kll.min_k", std::to_string(min_k) + " outside [8, k]");
  }
  if (m != kDefaultM) return in.InvalidAt(start, "kll.m", "must be 8, got " + std::to_string(m));
  KllSketch sketch(k);
  sketch.min_k_ = min_k;
  sketch.rng_ = rng;
  if (n == 0) return sketch;
  const size_t minmax_at = in.offset();
  RETURN_IF_ERROR(in.F64(&sketch.min_, "kll.min"));
  RETURN_IF_ERROR(in.F64(&sketch.max_, "kll.max"));
  if (!Finite(sketch.min_) || !Finite(sketch.max_) || sketch.min_ > sketch.max_) {
    return in.InvalidAt(minmax_at, "kll.min/max", "not finite or min > max");
  }
  uint8_t num_levels = 0;
  RETURN_IF_ERROR(in.U8(&num_levels, "kll.levels"));
  if (num_levels == 0 || num_levels > kMaxLevels) {
    return in.InvalidAt(in.offset() - 1, "kll.levels",
                        std::to_string(num_levels) + " outside [1, 61]");
  }
  sketch.levels_.resize(num_levels);
  sketch.RecomputeCapacity();
  std::vector<uint32_t> sizes(num_levels);
  uint64_t retained = 0, weight = 0;
  for (size_t h = 0; h < num_levels; ++h) {
    RETURN_IF_ERROR(in.U32(&sizes[h], "kll.level_size"));
    retained += sizes[h];
    if (retained > sketch.capacity_) {
      return in.Invalid("kll.level_size", "more items than the sketch's capacity " +
                                              std::to_string(sketch.capacity_));
    }
    if (sizes[h] > ((~uint64_t{0}) - weight) >> h) {
      return in.Invalid("kll.level_size", "level weights overflow");
    }
    weight += static_cast<uint64_t>(sizes[h]) << h;
  }
  if (weight != n) {
    return in.Invalid("kll.level_size", "level weights sum to " + std::to_string(weight) +
                                            ", n is " + std::to_string(n));
  }
  RETURN_IF_ERROR(in.Need(retained, 8, "kll.items"));
  for (size_t h = 0; h < num_levels; ++h) {
    auto& level = sketch.levels_[h];
    level.resize(sizes[h]);
    for (uint32_t i = 0; i < sizes[h]; ++i) {
      const size_t at = in.offset();
      RETURN_IF_ERROR(in.F64(&level[i], "kll.item"));
      if (!Finite(level[i]) || level[i] < sketch.min_ || level[i] > sketch.max_) {
        return in.InvalidAt(at, "kll.item", "not finite or outside [min, max]");
      }
      if (h > 0 && i > 0 && level[i] < level[i - 1]) {
        return in.InvalidAt(at, "kll.item", "level " + std::to_string(h) + " not sorted");
      }
    }
  }
  sketch.n_ = n;
  sketch.retained_ = static_cast<uint32_t>(retained);
  return sketch;
}

}  // namespace ferry::monitoring
