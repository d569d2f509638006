#pragma once
// The reference of `ferry monitor drift` and `ferry monitor report`: a data file (CSV, TSV or
// JSON lines), a profile (`ferry monitor profile` output, recognised by its magic bytes), or a
// package (an OCI layout directory or its .tar) whose ferry.referenceProfile layer holds one.

#include <optional>
#include <string>

#include "common/status.h"
#include "core/frame.h"
#include "monitoring/profile/dataset_profile.h"

namespace ferry::cli {

enum class ReferenceKind { kData, kProfile, kPackage };

struct DriftReference {
  ReferenceKind kind = ReferenceKind::kData;
  Frame frame;                                        // kData
  std::optional<monitoring::DatasetProfile> profile;  // kProfile and kPackage
};

// "data", "profile" or "package".
const char* ReferenceKindName(ReferenceKind kind);

// Errors name `path`: unreadable, a malformed profile ("profile: offset N: ..."), a package
// without a reference profile (saying to build it with --reference-data), another binary file.
absl::StatusOr<DriftReference> ReadReference(const std::string& path);

}  // namespace ferry::cli
