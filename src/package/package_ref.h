#pragma once
// Finding the package in a layout: the manifest a tag names (or the only package tag when
// none is given), and its parsed config. Used by sign, verify and push.

#include <string>

#include "common/status.h"
#include "package/oci.h"
#include "package/oci_layout.h"
#include "package/package_config.h"

namespace ferry::package {

// True for cosign's attached-artifact tags ("sha256-<hex>.sig" / ".att").
bool IsAttachedTag(const std::string& tag);

// `ref` if non-empty, else the only index tag that is not a .sig/.att tag.
// kNotFound when the layout has no package; kInvalidArgument listing the tags when there
// are several and `ref` is empty.
absl::StatusOr<std::string> ResolvePackageTag(LayoutReader& reader, const std::string& ref);

struct PackageHead {
  std::string tag;
  Descriptor manifest_descriptor;
  Manifest manifest;
  PackageConfig config;
};

// Reads the tagged manifest and its config (both digest-checked) without hashing the layers.
absl::StatusOr<PackageHead> ReadPackageHead(LayoutReader& reader, const std::string& ref);

}  // namespace ferry::package
