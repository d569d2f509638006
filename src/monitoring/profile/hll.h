#pragma once
// HyperLogLog distinct counter (2^lg_k six-bit registers stored one per byte) over the
// 64-bit hashes of hash.h, with Ertl's improved raw estimator ("New cardinality estimation
// algorithms for HyperLogLog sketches", 2017), which needs no bias tables and is accurate
// from 0 to far beyond 2^32. Relative standard error 1.04 / sqrt(2^lg_k) (1.6 % at 12).

#include <cstdint>
#include <vector>

#include "common/status.h"

namespace ferry::monitoring {

class ByteReader;
class ByteWriter;

class HllSketch {
 public:
  static constexpr uint8_t kDefaultLgK = 12;
  static constexpr uint8_t kMinLgK = 4;
  static constexpr uint8_t kMaxLgK = 16;

  explicit HllSketch(uint8_t lg_k = kDefaultLgK);

  void UpdateHash(uint64_t hash) {
    const uint32_t index = static_cast<uint32_t>(hash >> (64 - lg_k_));
    const uint64_t rest = hash << lg_k_;
    const uint8_t rank = rest == 0 ? static_cast<uint8_t>(65 - lg_k_)
                                   : static_cast<uint8_t>(__builtin_clzll(rest) + 1);
    if (rank > registers_[index]) registers_[index] = rank;
  }
  // kInvalidArgument unless both have the same lg_k.
  absl::Status Merge(const HllSketch& other);

  uint8_t lg_k() const { return lg_k_; }
  bool empty() const;
  double Estimate() const;
  double RelativeStandardError() const;
  // The estimate divided by (1 + s * rse) and (1 - s * rse), for s in 1..3 standard errors.
  double LowerBound(int num_std_dev) const;
  double UpperBound(int num_std_dev) const;

  // u8 lg_k, u8 form (0 sparse: u32 count, then u16 index + u8 value each; 1 dense: a byte
  // per register), whichever is smaller.
  void EncodeTo(ByteWriter& out) const;
  static absl::StatusOr<HllSketch> DecodeFrom(ByteReader& in);

 private:
  uint8_t lg_k_;
  std::vector<uint8_t> registers_;
};

}  // namespace ferry::monitoring
