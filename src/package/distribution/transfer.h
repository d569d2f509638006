#pragma once
// Push a package (with its .sig and .att artifacts) from an OCI layout to a registry, and
// pull one from a registry into a layout, verifying every digest before anything is kept.

#include <string>

#include "common/status.h"
#include "package/distribution/distribution_reference.h"
#include "package/distribution/oci_client.h"
#include "package/layout/oci_layout.h"

namespace ferry::package {

struct TransferResult {
  std::string manifest_digest;
  int blobs_sent = 0;     // uploaded or downloaded
  int blobs_present = 0;  // already at the destination
  int64_t bytes_sent = 0;
  bool signature = false;    // the .sig artifact was transferred
  bool attestation = false;  // the .att artifact was transferred
};

// Pushes the manifest `manifest` (an index entry of `layout`) to `client`'s repository under
// `tag`: blobs first (skipping those the registry has), then the manifest, checking the
// registry's Docker-Content-Digest; then the .sig and .att manifests when the layout has them.
absl::StatusOr<TransferResult> PushPackage(const OciDistributionClient& client, OciLayout& layout,
                                           const Descriptor& manifest, const std::string& tag);

// Pulls `client.ref()` into `layout`, tagging the manifest `layout_ref`. The manifest's sha256
// must equal the reference's digest when it has one. Each blob is downloaded to a temp file
// in the layout and hashed; a blob whose digest or size differs from its descriptor is
// deleted and the pull fails with kDataLoss naming it. The .sig and .att artifacts are
// fetched when the registry has them (404 means absent).
absl::StatusOr<TransferResult> PullPackage(const OciDistributionClient& client, OciLayout& layout,
                                           const std::string& layout_ref);

}  // namespace ferry::package
