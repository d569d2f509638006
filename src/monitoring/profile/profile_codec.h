#pragma once
// The compact, versioned binary encoding of a DatasetProfile (little-endian):
//   "FYPF" magic, u16 version (1), options (u16 kll_k, u8 hll_lg_k, u8 items_lg_max_k,
//   u64 seed), u64 rows, u32 columns, then per column: u32 name length + name, u8 type,
//   u64 count, missing, integral, fractional, string; moments (u64 n, and if n > 0: f64 mean,
//   m2, min, max; then u64 nan, +inf, -inf); the KLL, HLL and frequent-items sketches.
// Decode trusts nothing: every length is checked against what is left, every count against
// the others; errors are kInvalidArgument "profile: offset N: <field>: <reason>".

#include <string>
#include <string_view>

#include "common/status.h"
#include "monitoring/profile/dataset_profile.h"

namespace ferry::monitoring {

inline constexpr std::string_view kProfileMagic = "FYPF";
inline constexpr uint16_t kProfileVersion = 1;

std::string EncodeProfile(const DatasetProfile& profile);
absl::StatusOr<DatasetProfile> DecodeProfile(std::string_view bytes);

}  // namespace ferry::monitoring
