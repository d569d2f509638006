#pragma once
// Artifacts attached to a package manifest under cosign's tag scheme: the signature
// ("sha256-<hex>.sig") and the attestation ("sha256-<hex>.att") manifests live in the same
// layout (or registry repository) as the package, named by tag.

#include <string>
#include <string_view>

#include "common/status.h"
#include "package/layout/oci.h"
#include "package/layout/oci_layout.h"

namespace ferry::package {

// Reads (digest-checked) and parses the manifest `d` names. kDataLoss on a digest mismatch,
// kInvalidArgument naming `what` if it does not parse.
absl::StatusOr<Manifest> ReadManifestOf(LayoutReader& reader, const Descriptor& d,
                                        std::string_view what);

// A manifest of one layer over the OCI empty config `{}` (what cosign-style .sig and .att
// artifacts look like). Stores the empty config blob and `layer_bytes`, then the manifest
// under `tag`. Returns the manifest descriptor.
absl::StatusOr<Descriptor> AddSingleLayerManifest(OciLayout& layout, std::string_view layer_bytes,
                                                  const std::string& layer_media_type,
                                                  std::map<std::string, std::string> annotations,
                                                  const std::string& tag);

}  // namespace ferry::package
