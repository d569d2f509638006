#include "monitoring/profile/column_profile.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "monitoring/profile/hash.h"

namespace ferry::monitoring {
namespace {

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

}  // namespace

const char* ProfileColumnTypeName(ProfileColumnType type) {
  return type == ProfileColumnType::kNumeric ? "numeric" : "text";
}

ColumnProfile::ColumnProfile(ProfileColumnType type, const ProfileOptions& options,
                             std::string_view name)
    : type_(type),
      kll_(options.kll_k, options.seed ^ HashBytes(name)),
      hll_(options.hll_lg_k),
      items_(options.items_lg_max_k) {}

std::string IntegralItemKey(int64_t value) {
  std::string key(8, '\0');
  for (int i = 0; i < 8; ++i)
    key[i] = static_cast<char>((static_cast<uint64_t>(value) >> (8 * i)) & 0xFF);
  return key;
}

std::string IntegralItemText(std::string_view key) {
  uint64_t bits = 0;
  for (size_t i = 0; i < key.size() && i < 8; ++i) {
    bits |= static_cast<uint64_t>(static_cast<unsigned char>(key[i])) << (8 * i);
  }
  return std::to_string(static_cast<int64_t>(bits));
}

void ColumnProfile::AddIntegral(double value) {
  const uint64_t bits = static_cast<uint64_t>(static_cast<int64_t>(value));
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>((bits >> (8 * i)) & 0xFF);
  const std::string_view key(buf, sizeof(buf));
  items_.Update(key, HashBytes(key));
}

void ColumnProfile::AddNumbers(std::span<const double> values) {
  count_ += values.size();
  moments_.AddBatch(values);
  kll_.UpdateBatch(values);
  for (double v : values) {
    if (std::isnan(v)) {
      ++missing_;
      continue;
    }
    hll_.UpdateHash(HashDouble(v));
    if (v - v != 0.0) {
      ++types_.fractional;
      continue;
    }
    // A cast, not std::trunc: the baseline x86-64 target has no roundsd, trunc is a call.
    if (std::fabs(v) < kMaxExactInteger && static_cast<double>(static_cast<int64_t>(v)) == v) {
      ++types_.integral;
      AddIntegral(v);
    } else {
      ++types_.fractional;
    }
  }
}

void ColumnProfile::AddStrings(std::span<const std::string> values) {
  count_ += values.size();
  for (const std::string& s : values) {
    if (s.empty()) {
      ++missing_;
      continue;
    }
    ++types_.string;
    const uint64_t hash = HashBytes(s);
    hll_.UpdateHash(hash);
    const std::string_view key = FrequentItems::Truncate(s);
    items_.Update(key, key.size() == s.size() ? hash : HashBytes(key));
  }
}

absl::Status ColumnProfile::Merge(const ColumnProfile& other) {
  if (&other == this) {
    const ColumnProfile copy = other;
    return Merge(copy);
  }
  if (other.type_ != type_) {
    return absl::InvalidArgumentError(std::string("cannot merge a ") +
                                      ProfileColumnTypeName(other.type_) + " column into a " +
                                      ProfileColumnTypeName(type_) + " one");
  }
  RETURN_IF_ERROR(hll_.Merge(other.hll_));
  count_ += other.count_;
  missing_ += other.missing_;
  types_.integral += other.types_.integral;
  types_.fractional += other.types_.fractional;
  types_.string += other.types_.string;
  moments_.Merge(other.moments_);
  kll_.Merge(other.kll_);
  items_.Merge(other.items_);
  return absl::OkStatus();
}

Histogram ColumnProfile::MakeHistogram(int bins) const {
  Histogram h;
  if (kll_.empty() || bins < 1) return h;
  const double lo = kll_.min(), hi = kll_.max();
  if (lo == hi) bins = 1;
  const double width = (hi - lo) / bins;
  h.edges.resize(bins + 1);
  for (int i = 0; i <= bins; ++i) h.edges[i] = lo + width * i;
  h.edges[bins] = hi;
  h.counts.assign(bins, 0.0);
  const KllSortedView view = kll_.View();
  uint64_t previous = 0;
  for (size_t i = 0; i < view.items.size(); ++i) {
    const double x = view.items[i];
    int bin = width > 0 ? static_cast<int>((x - lo) / width) : 0;
    bin = std::clamp(bin, 0, bins - 1);
    h.counts[bin] += static_cast<double>(view.cumulative[i] - previous);
    previous = view.cumulative[i];
  }
  return h;
}

}  // namespace ferry::monitoring
