#include "monitoring/profile/hll.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "monitoring/profile/byte_io.h"

namespace ferry::monitoring {
namespace {

// Ertl's sigma(x) = x + sum_k x^(2^k) 2^(k-1), for the count of empty registers.
double Sigma(double x) {
  if (x == 1.0) return INFINITY;
  double y = 1.0, z = x;
  for (;;) {
    x *= x;
    const double before = z;
    z += x * y;
    y += y;
    if (z == before) return z;
  }
}

// Ertl's tau(x), for the count of saturated registers.
double Tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0, z = 1.0 - x;
  for (;;) {
    x = std::sqrt(x);
    const double before = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
    if (z == before) return z / 3.0;
  }
}

}  // namespace

HllSketch::HllSketch(uint8_t lg_k)
    : lg_k_(std::clamp(lg_k, kMinLgK, kMaxLgK)), registers_(size_t{1} << lg_k_, 0) {}

absl::Status HllSketch::Merge(const HllSketch& other) {
  if (other.lg_k_ != lg_k_) {
    return absl::InvalidArgumentError("hll: cannot merge lg_k " + std::to_string(other.lg_k_) +
                                      " into lg_k " + std::to_string(lg_k_));
  }
  for (size_t i = 0; i < registers_.size(); ++i) {
    registers_[i] = std::max(registers_[i], other.registers_[i]);
  }
  return absl::OkStatus();
}

bool HllSketch::empty() const {
  return std::all_of(registers_.begin(), registers_.end(), [](uint8_t r) { return r == 0; });
}

double HllSketch::Estimate() const {
  const int q = 64 - lg_k_;
  std::vector<double> hist(q + 2, 0.0);
  for (uint8_t r : registers_) hist[r] += 1.0;
  const double m = static_cast<double>(registers_.size());
  if (hist[0] == m) return 0.0;
  double z = m * Tau(1.0 - hist[q + 1] / m);
  for (int k = q; k >= 1; --k) z = 0.5 * (z + hist[k]);
  z += m * Sigma(hist[0] / m);
  const double alpha_inf = 0.5 / std::log(2.0);
  return alpha_inf * m * m / z;
}

double HllSketch::RelativeStandardError() const {
  return 1.04 / std::sqrt(static_cast<double>(registers_.size()));
}

double HllSketch::LowerBound(int num_std_dev) const {
  const int s = std::clamp(num_std_dev, 1, 3);
  return Estimate() / (1.0 + s * RelativeStandardError());
}

double HllSketch::UpperBound(int num_std_dev) const {
  const int s = std::clamp(num_std_dev, 1, 3);
  return Estimate() / (1.0 - s * RelativeStandardError());
}

void HllSketch::EncodeTo(ByteWriter& out) const {
  out.U8(lg_k_);
  const size_t set =
      registers_.size() - static_cast<size_t>(std::count(registers_.begin(), registers_.end(), 0));
  if (set * 3 + 4 < registers_.size()) {
    out.U8(0);
    out.U32(static_cast<uint32_t>(set));
    for (size_t i = 0; i < registers_.size(); ++i) {
      if (registers_[i] == 0) continue;
      out.U16(static_cast<uint16_t>(i));
      out.U8(registers_[i]);
    }
    return;
  }
  out.U8(1);
  out.Raw(std::string_view(reinterpret_cast<const char*>(registers_.data()), registers_.size()));
}

absl::StatusOr<HllSketch> HllSketch::DecodeFrom(ByteReader& in) {
  uint8_t lg_k = 0, form = 0;
  RETURN_IF_ERROR(in.U8(&lg_k, "hll.lg_k"));
  if (lg_k < kMinLgK || lg_k > kMaxLgK) {
    return in.InvalidAt(in.offset() - 1, "hll.lg_k", std::to_string(lg_k) + " outside [4, 16]");
  }
  RETURN_IF_ERROR(in.U8(&form, "hll.form"));
  HllSketch sketch(lg_k);
  const uint8_t max_rank = static_cast<uint8_t>(65 - lg_k);
  const size_t m = sketch.registers_.size();
  if (form == 1) {
    std::string_view raw;
    RETURN_IF_ERROR(in.Raw(&raw, m, "hll.registers"));
    for (size_t i = 0; i < m; ++i) {
      const uint8_t r = static_cast<uint8_t>(raw[i]);
      if (r > max_rank) {
        return in.InvalidAt(in.offset() - m + i, "hll.register",
                            "value over " + std::to_string(max_rank));
      }
      sketch.registers_[i] = r;
    }
    return sketch;
  }
  if (form != 0)
    return in.InvalidAt(in.offset() - 1, "hll.form", "unknown form " + std::to_string(form));
  uint32_t count = 0;
  RETURN_IF_ERROR(in.U32(&count, "hll.count"));
  if (count > m) return in.InvalidAt(in.offset() - 4, "hll.count", "more entries than registers");
  RETURN_IF_ERROR(in.Need(count, 3, "hll.entries"));
  int64_t last = -1;
  for (uint32_t e = 0; e < count; ++e) {
    const size_t at = in.offset();
    uint16_t index = 0;
    uint8_t value = 0;
    RETURN_IF_ERROR(in.U16(&index, "hll.index"));
    RETURN_IF_ERROR(in.U8(&value, "hll.value"));
    if (index >= m || static_cast<int64_t>(index) <= last) {
      return in.InvalidAt(at, "hll.index", "out of range or not increasing");
    }
    if (value == 0 || value > max_rank) {
      return in.InvalidAt(at, "hll.value", "outside [1, " + std::to_string(max_rank) + "]");
    }
    sketch.registers_[index] = value;
    last = index;
  }
  return sketch;
}

}  // namespace ferry::monitoring
