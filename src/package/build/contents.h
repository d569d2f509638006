#pragma once
// Reading a package back: resolving a ref, checking that the manifest, config and every
// layer are what the manifest says (VerifyContents), and writing the files back out
// (Unpack). Signatures are checked elsewhere; this is the content half of verification.

#include <optional>
#include <string>

#include "common/status.h"
#include "package/build/package_config.h"
#include "package/layout/oci.h"
#include "package/layout/oci_layout.h"

namespace ferry::package {

struct PackageContents {
  Descriptor manifest_descriptor;  // the index entry (digest = package identity)
  Manifest manifest;
  PackageConfig config;
};

// Finds the package manifest named by `ref` in the index: a tag (ref.name annotation) or a
// "sha256:..." manifest digest. An empty ref picks the only package manifest when there is
// exactly one (cosign .sig/.att tags are not packages). kNotFound / kInvalidArgument.
absl::StatusOr<Descriptor> ResolveRef(LayoutReader& layout, const std::string& ref);

// Resolves `ref`, reads the manifest (kOciManifest media type, ModelPack artifactType) and
// the config (ModelPack config media type, parsed and validated), checks that
// modelfs.diffIds equal the layer digests and that layer filepaths are safe and unique,
// but does not hash the layers. kDataLoss / kNotFound / kInvalidArgument naming the blob.
absl::StatusOr<PackageContents> ReadPackage(LayoutReader& layout, const std::string& ref);

// ReadPackage plus CheckBlob on every layer (size and SHA-256).
absl::StatusOr<PackageContents> VerifyContents(LayoutReader& layout, const std::string& ref);

// Verifies the package and writes each layer to `out_dir`/<filepath annotation>, hashing
// what it copies. `out_dir` must not exist or be empty; files are written into a staging
// directory beside it that is renamed into place only when every layer checked out.
absl::StatusOr<PackageContents> Unpack(OciLayout& layout, const std::string& ref,
                                       const std::string& out_dir);

// The bytes of the reference profile a package carries (the layer ferry.referenceProfile
// names, `ferry package build --reference-data`), nullopt when it has none. `path` is a
// package as LayoutSource opens it (a layout directory or an archive) holding one package.
// The blob is size-checked (at most 256 MiB) but not decoded: monitoring does that.
absl::StatusOr<std::optional<std::string>> ReadReferenceProfileBytes(const std::string& path);

}  // namespace ferry::package
