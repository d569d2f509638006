#include "monitoring/profile/dataset_profile.h"

#include <algorithm>

namespace ferry::monitoring {
namespace {

ProfileColumnType TypeOf(const Column& c) {
  return c.numeric ? ProfileColumnType::kNumeric : ProfileColumnType::kText;
}

absl::Status TypeConflict(std::string_view name, ProfileColumnType have, ProfileColumnType got) {
  return absl::InvalidArgumentError("column '" + std::string(name) +
                                    "': " + ProfileColumnTypeName(got) + " values for a " +
                                    ProfileColumnTypeName(have) + " column");
}

}  // namespace

DatasetProfile::DatasetProfile(ProfileOptions options) : options_(options) {
  options_.kll_k = std::max(options_.kll_k, KllSketch::kMinK);
  options_.hll_lg_k = std::clamp(options_.hll_lg_k, HllSketch::kMinLgK, HllSketch::kMaxLgK);
  options_.items_lg_max_k = std::clamp<uint8_t>(options_.items_lg_max_k, 3, 16);
}

DatasetProfile DatasetProfile::FromFrame(const Frame& frame, const ProfileOptions& options) {
  DatasetProfile profile(options);
  absl::Status s = profile.AddFrame(frame);  // cannot conflict: the profile is empty
  (void)s;
  return profile;
}

const ColumnProfile* DatasetProfile::Find(std::string_view name) const {
  for (const auto& [n, c] : columns_) {
    if (n == name) return &c;
  }
  return nullptr;
}

ColumnProfile* DatasetProfile::FindMutable(std::string_view name) {
  return const_cast<ColumnProfile*>(Find(name));
}

absl::Status DatasetProfile::AddFrame(const Frame& frame) {
  for (const Column& c : frame.columns) {
    const ColumnProfile* existing = Find(c.name);
    if (existing != nullptr && existing->type() != TypeOf(c)) {
      return TypeConflict(c.name, existing->type(), TypeOf(c));
    }
  }
  for (const Column& c : frame.columns) {
    ColumnProfile* col = FindMutable(c.name);
    if (col == nullptr) {
      columns_.emplace_back(c.name, ColumnProfile(TypeOf(c), options_, c.name));
      col = &columns_.back().second;
    }
    if (c.numeric) {
      col->AddNumbers(c.numbers);
    } else {
      col->AddStrings(c.strings);
    }
  }
  rows_ += frame.rows();
  return absl::OkStatus();
}

absl::Status DatasetProfile::Merge(const DatasetProfile& other) {
  if (&other == this) {
    const DatasetProfile copy = other;
    return Merge(copy);
  }
  for (const auto& [name, col] : other.columns_) {
    const ColumnProfile* mine = Find(name);
    if (mine == nullptr) continue;
    if (mine->type() != col.type()) return TypeConflict(name, mine->type(), col.type());
    if (mine->hll().lg_k() != col.hll().lg_k()) {
      return absl::InvalidArgumentError("column '" + name + "': HyperLogLog lg_k differs");
    }
  }
  for (const auto& [name, col] : other.columns_) {
    ColumnProfile* mine = FindMutable(name);
    if (mine == nullptr) {
      columns_.emplace_back(name, col);
    } else {
      RETURN_IF_ERROR(mine->Merge(col));  // checked above: cannot fail
    }
  }
  rows_ += other.rows_;
  return absl::OkStatus();
}

absl::StatusOr<DatasetProfile> MergeProfiles(const DatasetProfile& a, const DatasetProfile& b) {
  DatasetProfile out = a;
  RETURN_IF_ERROR(out.Merge(b));
  return out;
}

}  // namespace ferry::monitoring
