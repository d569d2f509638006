#pragma once
// OCI image-spec value types for model packages: descriptors, manifests, the image index,
// and the media types Ferry writes (CNCF ModelPack for the model, cosign's tag scheme for
// signatures and attestations). See ../shared/reference/lifecycle.md §3.4-3.7.
//
// A manifest's identity is the SHA-256 of its exact bytes, so parsed manifests keep the raw
// bytes they came from and are never re-serialised.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry::package {

// ---- media types ----
inline constexpr char kOciManifest[] = "application/vnd.oci.image.manifest.v1+json";
inline constexpr char kOciIndex[] = "application/vnd.oci.image.index.v1+json";
inline constexpr char kOciEmpty[] = "application/vnd.oci.empty.v1+json";
inline constexpr char kModelArtifact[] = "application/vnd.cncf.model.manifest.v1+json";
inline constexpr char kModelConfig[] = "application/vnd.cncf.model.config.v1+json";
inline constexpr char kModelWeightRaw[] = "application/vnd.cncf.model.weight.v1.raw";
inline constexpr char kModelWeightConfigRaw[] = "application/vnd.cncf.model.weight.config.v1.raw";
inline constexpr char kModelDocRaw[] = "application/vnd.cncf.model.doc.v1.raw";
inline constexpr char kModelCodeRaw[] = "application/vnd.cncf.model.code.v1.raw";
inline constexpr char kModelDatasetRaw[] = "application/vnd.cncf.model.dataset.v1.raw";
inline constexpr char kCosignSimpleSigning[] = "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr char kDsseEnvelope[] = "application/vnd.dsse.envelope.v1+json";

// ---- annotation keys ----
inline constexpr char kAnnotationRefName[] = "org.opencontainers.image.ref.name";
inline constexpr char kAnnotationTitle[] = "org.opencontainers.image.title";
inline constexpr char kAnnotationCreated[] = "org.opencontainers.image.created";
inline constexpr char kAnnotationFilepath[] = "org.cncf.model.filepath";
// ModelPack's per-file metadata (JSON: name, mode, uid, gid, size, mtime, typeflag).
inline constexpr char kAnnotationFileMetadata[] = "org.cncf.model.file.metadata+json";
inline constexpr char kAnnotationCosignSignature[] = "dev.cosignproject.cosign/signature";
inline constexpr char kAnnotationPredicateType[] = "predicateType";

// The most Ferry reads of any small JSON blob (index, manifest, config, signature payload,
// attestation envelope); larger ones are refused, never buffered.
inline constexpr int64_t kMaxMetadataBlob = int64_t{4} << 20;

// The empty config blob "{}".
inline constexpr char kEmptyJsonDigest[] =
    "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

// "sha256:<64 lowercase hex>". Anything else (other algorithms included) is rejected with
// kInvalidArgument naming `what`, e.g. "layer 2 digest".
absl::Status ValidateDigest(std::string_view digest, std::string_view what);
// "sha256:abc..." -> "abc...". Precondition: ValidateDigest passed.
std::string DigestHex(std::string_view digest);
// The cosign tag for a manifest digest: "sha256-<hex>" + suffix (".sig" / ".att").
std::string CosignTag(std::string_view digest, std::string_view suffix);

struct Descriptor {
  std::string media_type;
  std::string digest;
  int64_t size = 0;
  std::string artifact_type;  // optional (index entries)
  std::map<std::string, std::string> annotations;

  // The annotation or "" when absent.
  std::string Annotation(const std::string& key) const;
};

struct Manifest {
  std::string media_type = kOciManifest;
  std::string artifact_type;
  Descriptor config;
  std::vector<Descriptor> layers;
  std::optional<Descriptor> subject;
  std::map<std::string, std::string> annotations;
  // The exact bytes (set by Serialize / Parse); the manifest digest is their SHA-256.
  std::string raw;
};

// Writes `m.raw` (compact JSON, fields in a fixed order) and returns the manifest's
// descriptor (media type, digest of raw, size).
Descriptor SerializeManifest(Manifest& m);
// Parses and validates a manifest: schemaVersion 2, media type, every descriptor's digest
// and non-negative size. kInvalidArgument naming the bad field ("layers[1].digest: ...").
absl::StatusOr<Manifest> ParseManifest(std::string_view bytes);

struct ImageIndex {
  std::vector<Descriptor> manifests;
};
std::string SerializeIndex(const ImageIndex& index);
absl::StatusOr<ImageIndex> ParseIndex(std::string_view bytes);

}  // namespace ferry::package
