#pragma once
// An OCI image layout directory (image-spec image-layout.md): `oci-layout`, `index.json`
// and `blobs/sha256/<hex>`. Index entries name manifests with the
// org.opencontainers.image.ref.name annotation: the package manifest under its version tag,
// signatures and attestations under cosign's "sha256-<hex>.sig" / ".att" tags.
//
// LayoutReader is what verification needs; OciLayout (a directory) implements it, and the
// server implements it over its artifact store, where blob digests were computed on upload.

#include <memory>
#include <string>

#include "common/file_hash.h"
#include "common/status.h"
#include "package/layout/oci.h"

namespace ferry::package {

class LayoutReader {
 public:
  virtual ~LayoutReader() = default;
  virtual absl::StatusOr<ImageIndex> ReadIndex() = 0;
  // Reads a small blob whole (manifests, configs, signatures), refusing blobs larger than
  // `max_size`, and checks its digest. kNotFound if absent, kDataLoss on a mismatch.
  virtual absl::StatusOr<std::string> ReadBlob(const std::string& digest, int64_t max_size) = 0;
  // Checks that the blob exists with exactly `d.size` bytes whose SHA-256 is `d.digest`
  // (hashing it if needed). kNotFound if absent, kDataLoss (naming the blob) otherwise.
  virtual absl::Status CheckBlob(const Descriptor& d) = 0;
};

// The manifest descriptor the index tags `tag` (org.opencontainers.image.ref.name);
// kNotFound otherwise.
absl::StatusOr<Descriptor> FindTagged(LayoutReader& reader, std::string_view tag);

class OciLayout : public LayoutReader {
 public:
  // Creates the directory (and `oci-layout`, an empty index) if needed. kAlreadyExists if
  // `dir` exists and is not empty and not an OCI layout.
  static absl::StatusOr<std::unique_ptr<OciLayout>> Create(const std::string& dir);
  // Opens an existing layout; kInvalidArgument if `oci-layout` is missing or not version
  // 1.0.0.
  static absl::StatusOr<std::unique_ptr<OciLayout>> Open(const std::string& dir);

  const std::string& dir() const { return dir_; }
  std::string BlobPath(const std::string& digest) const;
  bool HasBlob(const std::string& digest) const;

  // Stores bytes as a blob (atomically: temp file then rename) and returns its descriptor.
  absl::StatusOr<Descriptor> PutBlob(std::string_view bytes, const std::string& media_type);
  // Copies a file into the blob store, hashing while copying (one pass).
  absl::StatusOr<Descriptor> PutBlobFromFile(const std::string& path,
                                             const std::string& media_type);
  // The same, reporting bytes done after each chunk (labelled with the blob's temp path).
  absl::StatusOr<Descriptor> PutBlobFromFile(const std::string& path, const std::string& media_type,
                                             const ProgressFn& progress);
  // Serialises `m` (filling m.raw), stores it and points `ref_name` at it in index.json,
  // replacing an entry with the same ref name. Returns the manifest descriptor.
  absl::StatusOr<Descriptor> AddManifest(Manifest& m, const std::string& ref_name);
  // Stores manifest bytes exactly as given (no re-serialisation, so a pulled manifest keeps
  // its digest) and points `ref_name` at them, replacing an entry with the same ref name.
  absl::StatusOr<Descriptor> AddManifestBytes(const std::string& raw, const std::string& media_type,
                                              const std::string& ref_name);
  // The manifest descriptor named `ref_name` in index.json; kNotFound otherwise.
  absl::StatusOr<Descriptor> FindRef(const std::string& ref_name);
  // Reads and parses a manifest blob by digest.
  absl::StatusOr<Manifest> ReadManifest(const std::string& digest);

  // LayoutReader
  absl::StatusOr<ImageIndex> ReadIndex() override;
  absl::StatusOr<std::string> ReadBlob(const std::string& digest, int64_t max_size) override;
  absl::Status CheckBlob(const Descriptor& d) override;

 private:
  explicit OciLayout(std::string dir) : dir_(std::move(dir)) {}
  absl::Status WriteIndex(const ImageIndex& index);
  std::string dir_;
};

}  // namespace ferry::package
