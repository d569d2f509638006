#pragma once
// The profile of a table: its row count and one ColumnProfile per column, in column order.
// Built from core Frames (a column at a time), merged with other profiles (the union of the
// columns: the first profile's order, then the other's new columns in its order).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "core/frame.h"
#include "monitoring/profile/column_profile.h"

namespace ferry::monitoring {

class DatasetProfile {
 public:
  // Options out of the sketches' ranges are clamped (kll_k >= 8, hll_lg_k in [4, 16],
  // items_lg_max_k in [3, 16]).
  explicit DatasetProfile(ProfileOptions options = {});

  // The profile of `frame`.
  static DatasetProfile FromFrame(const Frame& frame, const ProfileOptions& options = {});

  // Adds `frame`'s rows. kInvalidArgument (naming the column) if a column's type differs
  // from the one already profiled under that name; nothing is added then.
  absl::Status AddFrame(const Frame& frame);
  // Merges `other` in (union of columns). kInvalidArgument naming the column on a type or
  // sketch-parameter conflict; nothing is merged then.
  absl::Status Merge(const DatasetProfile& other);

  uint64_t rows() const { return rows_; }
  const ProfileOptions& options() const { return options_; }
  const std::vector<std::pair<std::string, ColumnProfile>>& columns() const { return columns_; }
  // The column named `name`, or nullptr.
  const ColumnProfile* Find(std::string_view name) const;

 private:
  friend class ProfileCodec;
  ColumnProfile* FindMutable(std::string_view name);

  ProfileOptions options_;
  uint64_t rows_ = 0;
  std::vector<std::pair<std::string, ColumnProfile>> columns_;
};

// Merge(A, B) as a value.
absl::StatusOr<DatasetProfile> MergeProfiles(const DatasetProfile& a, const DatasetProfile& b);

}  // namespace ferry::monitoring
