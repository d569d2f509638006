#pragma once
// DSSE envelopes (github.com/secure-systems-lab/dsse, v1) as cosign stores attestations:
//
//   {"payloadType":"application/vnd.in-toto+json","payload":b64(body),
//    "signatures":[{"keyid":"...","sig":b64(DER ECDSA-P256 over PAE)}]}
//
// PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in decimal.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "package/trust/keys.h"

namespace ferry::package {

inline constexpr char kInTotoPayloadType[] = "application/vnd.in-toto+json";

// The pre-authentication encoding the signature covers.
std::string Pae(std::string_view payload_type, std::string_view body);

struct DsseSignature {
  std::string keyid;
  std::string sig;  // DER
};

struct DsseEnvelope {
  std::string payload_type;
  std::string payload;  // decoded body
  std::vector<DsseSignature> signatures;
};

// Signs `body` and returns the envelope JSON. The keyid is the key's id (cosign leaves it
// empty; verifiers do not rely on it).
absl::StatusOr<std::string> SignEnvelope(std::string_view payload_type, std::string_view body,
                                         const PrivateKey& key);

// kInvalidArgument naming the field for a malformed envelope (bad JSON, bad base64, no
// signatures).
absl::StatusOr<DsseEnvelope> ParseEnvelope(std::string_view json);

// OK if one of the envelope's signatures verifies with `key`; kUnauthenticated otherwise.
absl::Status VerifyEnvelope(const DsseEnvelope& envelope, const PublicKey& key);

}  // namespace ferry::package
