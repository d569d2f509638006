#pragma once
// cosign-compatible signatures (sigstore/cosign specs/SIGNATURE_SPEC.md, key-based, no
// transparency log). The signed bytes are the "simple signing" payload
//
//   {"critical":{"identity":{"docker-reference":REPO},
//                "image":{"docker-manifest-digest":DIGEST},
//                "type":"cosign container image signature"},"optional":null}
//
// stored as the one layer (application/vnd.dev.cosign.simplesigning.v1+json) of a manifest
// over the empty config, tagged CosignTag(DIGEST, ".sig"); the base64 DER ECDSA-P256
// signature is the layer annotation dev.cosignproject.cosign/signature. What
// `cosign verify --key cosign.pub --insecure-ignore-tlog` and plain openssl check.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "package/layout/oci.h"
#include "package/layout/oci_layout.h"
#include "package/trust/keys.h"

namespace ferry::package {

inline constexpr char kCosignSignatureType[] = "cosign container image signature";

// The payload bytes for `docker_reference` (e.g. "127.0.0.1:5000/models/iris", or the model
// name for a local layout) and a manifest digest.
std::string SimpleSigningPayload(std::string_view docker_reference,
                                 std::string_view manifest_digest);

struct SimpleSigning {
  std::string docker_reference;
  std::string manifest_digest;
};
// kInvalidArgument naming the field for anything that is not a simple-signing payload.
absl::StatusOr<SimpleSigning> ParseSimpleSigning(std::string_view payload);

// Signs the manifest `target` and stores the .sig manifest in `layout`, replacing an earlier
// signature of the same manifest. Returns the .sig manifest's descriptor.
absl::StatusOr<Descriptor> SignManifest(OciLayout& layout, const Descriptor& target,
                                        std::string_view docker_reference, const PrivateKey& key);

// One signature layer of a .sig manifest: the exact payload bytes (digest-checked), the DER
// signature, and the parsed payload.
struct SignatureLayer {
  std::string payload;
  std::string signature;
  SimpleSigning parsed;
};

// Reads every signature of `target_digest`. kNotFound ("no signature ...") when the layout has
// no .sig tag for it; kDataLoss when a signature blob fails its digest; kInvalidArgument when
// a layer is not a simple-signing layer, lacks the annotation or has bad base64/JSON.
absl::StatusOr<std::vector<SignatureLayer>> ReadSignatures(LayoutReader& reader,
                                                           std::string_view target_digest);

// OK if `layer` is signed by `key` and its payload names `target_digest`.
// kUnauthenticated when the signature does not verify, kFailedPrecondition when the payload
// names another manifest.
absl::Status VerifySignatureLayer(const SignatureLayer& layer, std::string_view target_digest,
                                  const PublicKey& key);

}  // namespace ferry::package
