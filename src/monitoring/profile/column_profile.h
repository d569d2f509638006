#pragma once
// The mergeable profile of one column: counts, type counts, moments, a KLL sketch of the
// finite numeric values, HyperLogLog over every present value and frequent items of strings
// and integral numbers (below 2^53 in magnitude). Updates take whole column slices (no per-value
// allocation for numbers). Histograms are computed on demand from the KLL sketch.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "monitoring/profile/frequent_items.h"
#include "monitoring/profile/hll.h"
#include "monitoring/profile/kll.h"
#include "monitoring/profile/moments.h"

namespace ferry::monitoring {

struct ProfileOptions {
  uint16_t kll_k = KllSketch::kDefaultK;
  uint8_t hll_lg_k = HllSketch::kDefaultLgK;
  uint8_t items_lg_max_k = FrequentItems::kDefaultLgMaxK;
  uint64_t seed = 0;  // the KLL coins' seed (mixed with the column name)
};

enum class ProfileColumnType : uint8_t { kNumeric = 0, kText = 1 };

const char* ProfileColumnTypeName(ProfileColumnType type);

// Numeric columns keep their integral values as frequent items under an 8-byte
// little-endian two's-complement key (no formatting on the hot path); these convert.
std::string IntegralItemKey(int64_t value);
std::string IntegralItemText(std::string_view key);

struct TypeCounts {
  uint64_t integral = 0;    // finite whole numbers (|x| < 2^53)
  uint64_t fractional = 0;  // other numbers, infinities included
  uint64_t string = 0;      // non-empty strings
};

struct Histogram {
  std::vector<double> edges;   // bins + 1 ascending edges over [min, max]
  std::vector<double> counts;  // estimated counts per bin (summing to the sketch's n)
};

class ColumnProfile {
 public:
  ColumnProfile(ProfileColumnType type, const ProfileOptions& options, std::string_view name);

  // NaN is a missing value (the Frame's convention).
  void AddNumbers(std::span<const double> values);
  // "" is a missing value.
  void AddStrings(std::span<const std::string> values);
  // kInvalidArgument when the types or the sketches' parameters differ.
  absl::Status Merge(const ColumnProfile& other);

  // `bins` equal-width bins over [min, max] of the finite values; empty when there are none
  // (one bin when min == max).
  Histogram MakeHistogram(int bins) const;

  ProfileColumnType type() const { return type_; }
  uint64_t count() const { return count_; }  // values seen, missing included
  uint64_t missing() const { return missing_; }
  const TypeCounts& types() const { return types_; }
  const Moments& moments() const { return moments_; }
  const KllSketch& kll() const { return kll_; }
  const HllSketch& hll() const { return hll_; }
  // Strings for text columns; IntegralItemKey keys for numeric ones.
  const FrequentItems& items() const { return items_; }

 private:
  friend class ProfileCodec;
  ColumnProfile(ProfileColumnType type, KllSketch kll, HllSketch hll, FrequentItems items)
      : type_(type), kll_(std::move(kll)), hll_(std::move(hll)), items_(std::move(items)) {}
  void AddIntegral(double value);

  ProfileColumnType type_;
  uint64_t count_ = 0;
  uint64_t missing_ = 0;
  TypeCounts types_;
  Moments moments_;
  KllSketch kll_;
  HllSketch hll_;
  FrequentItems items_;
};

}  // namespace ferry::monitoring
