#include "package/trust/verify.h"

#include <set>

#include "package/build/contents.h"
#include "package/trust/attached.h"
#include "package/trust/dsse.h"
#include "package/trust/provenance.h"
#include "package/trust/signature.h"

namespace ferry::package {
namespace {

std::string KeyLabel(const TrustedKey& k) {
  return "key '" + k.name + "' (id " + k.key.KeyId().substr(0, 16) + ")";
}

std::string AllowedList(const TrustRule& rule) {
  std::string out;
  for (const std::string& k : rule.keys) out += (out.empty() ? "" : ", ") + k;
  return out;
}

// The policy key whose signature check passes, or nullptr.
template <typename VerifyFn>
const TrustedKey* FindSigner(const TrustPolicy& policy, VerifyFn verify) {
  for (const TrustedKey& k : policy.keys()) {
    if (verify(k.key).ok()) return &k;
  }
  return nullptr;
}

// Accepts a signer only if the rule allows it; otherwise says which key signed and which
// keys would have been accepted.
absl::Status CheckAllowed(const TrustPolicy& policy, const TrustRule& rule, const TrustedKey* k,
                          std::string_view what, std::string_view model) {
  if (k == nullptr) {
    return absl::UnauthenticatedError(std::string(what) + " is not by any key in trust policy " +
                                      policy.source() + " (unknown key)");
  }
  if (!TrustPolicy::Allows(rule, k->name)) {
    return absl::PermissionDeniedError(std::string(what) + " is by " + KeyLabel(*k) +
                                       ", which trust policy " + policy.source() +
                                       " does not allow for model '" + std::string(model) +
                                       "' (allowed: " + AllowedList(rule) + ")");
  }
  return absl::OkStatus();
}

absl::Status VerifySignature(LayoutReader& reader, const Descriptor& manifest,
                             std::string_view model, const TrustPolicy& policy,
                             const TrustRule& rule, VerifyReport* report) {
  auto layers = ReadSignatures(reader, manifest.digest);
  if (absl::IsNotFound(layers.status())) {
    return absl::FailedPreconditionError(
        std::string(layers.status().message()) + "; trust policy " + policy.source() +
        " requires a signature for model '" + std::string(model) + "'");
  }
  if (!layers.ok()) return layers.status();
  absl::Status first_error;
  for (const SignatureLayer& layer : *layers) {
    const TrustedKey* signer = FindSigner(
        policy, [&](const PublicKey& k) { return k.Verify(layer.payload, layer.signature); });
    absl::Status s = CheckAllowed(policy, rule, signer, "signature", model);
    if (s.ok()) s = VerifySignatureLayer(layer, manifest.digest, signer->key);
    if (s.ok()) {
      report->signer = signer->name;
      report->checks.push_back("signature: by " + KeyLabel(*signer) + ", allowed for '" +
                               std::string(model) + "' by " + policy.source());
      return absl::OkStatus();
    }
    // Prefer the most telling reason: an untrusted known key over an unknown one.
    if (first_error.ok() || absl::IsUnauthenticated(first_error)) first_error = s;
  }
  return first_error;
}

absl::Status CheckSubject(const ParsedStatement& st, const Descriptor& manifest,
                          std::string_view model) {
  std::string hex = DigestHex(manifest.digest);
  for (const StatementSubject& s : st.subjects) {
    if (s.sha256 != hex) continue;
    if (s.name != model) {
      return absl::FailedPreconditionError("provenance subject name '" + s.name +
                                           "' is not the model name '" + std::string(model) + "'");
    }
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError("provenance subject sha256:" + st.subjects[0].sha256 +
                                       " does not match the package manifest " + manifest.digest);
}

absl::StatusOr<DsseEnvelope> ReadEnvelope(LayoutReader& reader, const Descriptor& att) {
  ASSIGN_OR_RETURN(Manifest m, ReadManifestOf(reader, att, "attestation"));
  for (const Descriptor& layer : m.layers) {
    if (layer.media_type != kDsseEnvelope) continue;
    RETURN_IF_ERROR(reader.CheckBlob(layer));
    ASSIGN_OR_RETURN(std::string json, reader.ReadBlob(layer.digest, kMaxMetadataBlob));
    ASSIGN_OR_RETURN(DsseEnvelope env, ParseEnvelope(json));
    if (env.payload_type != kInTotoPayloadType) {
      return absl::InvalidArgumentError("attestation payloadType is " + env.payload_type +
                                        ", want " + kInTotoPayloadType);
    }
    return env;
  }
  return absl::InvalidArgumentError(std::string("attestation manifest has no ") + kDsseEnvelope +
                                    " layer");
}

absl::Status VerifyProvenance(LayoutReader& reader, const Descriptor& manifest,
                              std::string_view model, const TrustPolicy& policy,
                              const TrustRule& rule, VerifyReport* report) {
  std::string tag = CosignTag(manifest.digest, ".att");
  auto att = FindTagged(reader, tag);
  if (absl::IsNotFound(att.status())) {
    if (rule.require_provenance) {
      return absl::FailedPreconditionError("no provenance: the package has no " + tag +
                                           " attestation; trust policy " + policy.source() +
                                           " requires one for model '" + std::string(model) + "'");
    }
    report->checks.push_back("provenance: none attached (not required by the policy)");
    return absl::OkStatus();
  }
  if (!att.ok()) return att.status();
  ASSIGN_OR_RETURN(DsseEnvelope env, ReadEnvelope(reader, *att));
  const TrustedKey* signer =
      FindSigner(policy, [&](const PublicKey& k) { return VerifyEnvelope(env, k); });
  RETURN_IF_ERROR(CheckAllowed(policy, rule, signer, "provenance attestation", model));
  ASSIGN_OR_RETURN(ParsedStatement st, ParseStatement(env.payload));
  if (st.predicate_type != kSlsaProvenanceV1) {
    return absl::InvalidArgumentError("attestation predicateType is " + st.predicate_type +
                                      ", want " + kSlsaProvenanceV1);
  }
  RETURN_IF_ERROR(CheckSubject(st, manifest, model));
  report->provenance_verified = true;
  report->checks.push_back("provenance: SLSA v1 statement signed by " + KeyLabel(*signer) +
                           ", subject '" + std::string(model) + "' = " + manifest.digest +
                           (st.invocation_id.empty() ? "" : ", run " + st.invocation_id));
  return absl::OkStatus();
}

std::string BlobKey(const Descriptor& d) { return d.digest + "/" + std::to_string(d.size); }

// Hashes every manifest the index names besides the package's (its signature and
// attestation tags, other packages) and every blob they reference, the empty config `{}`
// of .sig/.att manifests included. `done` holds the blobs already hashed. Returns how many
// further manifests were checked.
absl::StatusOr<int> CheckOtherManifests(LayoutReader& reader, std::set<std::string> done) {
  ASSIGN_OR_RETURN(ImageIndex index, reader.ReadIndex());
  int manifests = 0;
  for (const Descriptor& d : index.manifests) {
    if (!done.insert(BlobKey(d)).second) continue;
    const std::string tag = d.Annotation(kAnnotationRefName);
    ASSIGN_OR_RETURN(Manifest m, ReadManifestOf(reader, d, "'" + tag + "'"));
    const std::string what = "manifest '" + tag + "'";
    ++manifests;
    std::vector<const Descriptor*> blobs = {&m.config};
    for (const Descriptor& layer : m.layers) blobs.push_back(&layer);
    for (const Descriptor* b : blobs) {
      if (!done.insert(BlobKey(*b)).second) continue;
      if (absl::Status s = reader.CheckBlob(*b); !s.ok()) {
        return absl::Status(s.code(), what + " (" + d.digest + "): " + std::string(s.message()));
      }
    }
  }
  return manifests;
}

absl::Status CheckAttachedBlobs(LayoutReader& reader, const PackageContents& head,
                                VerifyReport* report) {
  std::set<std::string> done = {BlobKey(head.manifest_descriptor), BlobKey(head.manifest.config)};
  for (const Descriptor& layer : head.manifest.layers) done.insert(BlobKey(layer));
  ASSIGN_OR_RETURN(int others, CheckOtherManifests(reader, std::move(done)));
  if (others > 0) {
    report->checks.push_back("attached: " + std::to_string(others) +
                             " further manifest(s) in the index (signature, attestation) and "
                             "every blob they reference match their digests");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyTrust(LayoutReader& reader, const Descriptor& manifest,
                         std::string_view model_name, const TrustPolicy& policy,
                         VerifyReport* report) {
  ASSIGN_OR_RETURN(const TrustRule* rule, policy.RuleFor(model_name));
  RETURN_IF_ERROR(VerifySignature(reader, manifest, model_name, policy, *rule, report));
  return VerifyProvenance(reader, manifest, model_name, policy, *rule, report);
}

absl::StatusOr<VerifyReport> VerifyPackage(LayoutReader& reader, const std::string& ref,
                                           const TrustPolicy* policy) {
  VerifyReport report;
  ASSIGN_OR_RETURN(PackageContents head, VerifyContents(reader, ref));
  report.manifest_digest = head.manifest_descriptor.digest;
  report.model_name = head.config.descriptor.name;
  report.model_version = head.config.descriptor.version;
  int64_t bytes = 0;
  for (const Descriptor& layer : head.manifest.layers) bytes += layer.size;
  report.checks.push_back("contents: manifest " + report.manifest_digest + ", config and " +
                          std::to_string(head.manifest.layers.size()) + " layers (" +
                          std::to_string(bytes) + " bytes) match their digests");
  RETURN_IF_ERROR(CheckAttachedBlobs(reader, head, &report));
  if (policy == nullptr) return report;
  report.signer_checked = true;
  RETURN_IF_ERROR(
      VerifyTrust(reader, head.manifest_descriptor, report.model_name, *policy, &report));
  return report;
}

}  // namespace ferry::package
