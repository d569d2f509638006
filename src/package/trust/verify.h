#pragma once
// Full verification of a package before anyone trusts it: every digest (VerifyContents),
// then, under a trust policy, a cosign signature by a key the policy allows for the model
// name, and the SLSA provenance attestation (signed by an allowed key, subject = this
// package's manifest digest and model name), required or not as the policy says.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "package/layout/oci.h"
#include "package/layout/oci_layout.h"
#include "package/trust/trust_policy.h"

namespace ferry::package {

struct VerifyReport {
  std::string manifest_digest;
  std::string model_name;
  std::string model_version;
  // One line per check that passed, in order ("signature: by key 'lnu' (id 3f2a...)").
  std::vector<std::string> checks;
  std::string signer;  // policy key name; empty when no signature was checked
  // False when no trust policy was given: the contents are intact, but who made the package
  // was not checked at all.
  bool signer_checked = false;
  bool provenance_verified = false;
};

// Verifies the package tagged `ref` in `reader`: its manifest, config and layers, then every
// other manifest the index names (signature and attestation tags included) and every blob
// they reference, each hashed once. With `policy` null nothing else is checked
// (report.signer_checked stays false). Errors, each naming what failed:
// kDataLoss for a blob, manifest or signature byte that does not match its digest;
// kFailedPrecondition for a missing signature or provenance the policy requires, or a
// provenance subject (or signature payload) naming another manifest or model;
// kPermissionDenied for a signature by a key the policy does not allow for this model, or a
// model no policy rule covers; kUnauthenticated for a signature by no key in the policy.
absl::StatusOr<VerifyReport> VerifyPackage(LayoutReader& reader, const std::string& ref,
                                           const TrustPolicy* policy);

// The trust part alone, for a manifest whose contents were already verified: fills
// report->checks / signer / provenance_verified.
absl::Status VerifyTrust(LayoutReader& reader, const Descriptor& manifest,
                         std::string_view model_name, const TrustPolicy& policy,
                         VerifyReport* report);

}  // namespace ferry::package
