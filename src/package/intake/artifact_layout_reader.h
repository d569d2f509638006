#pragma once
// A package stored in the server's artifact store: the files of an OCI layout uploaded
// through the artifact proxy under one directory, e.g. "packages/sha256-<hex>/index.json"
// and ".../blobs/sha256/<hex>". The store hashed every file on upload, so checking a blob
// is a lookup: its recorded SHA-256 must equal the digest in its name and its size the
// descriptor's. Nothing is re-hashed, however large the weights.

#include <string>

#include "package/layout/oci_layout.h"
#include "store/artifact_index.h"
#include "store/artifact_store.h"

namespace ferry::package {

// The artifact directory packages are stored under, and the one for a manifest digest.
inline constexpr char kPackagesArtifactRoot[] = "packages";
std::string PackageArtifactDir(const std::string& manifest_digest);

class ArtifactLayoutReader : public LayoutReader {
 public:
  // `dir` is the layout's directory relative to the artifact root.
  ArtifactLayoutReader(store::ArtifactIndex& index, store::ArtifactStore& blobs, std::string dir)
      : index_(index), blobs_(blobs), dir_(std::move(dir)) {}

  absl::StatusOr<ImageIndex> ReadIndex() override;
  absl::StatusOr<std::string> ReadBlob(const std::string& digest, int64_t max_size) override;
  absl::Status CheckBlob(const Descriptor& d) override;

 private:
  // The index entry of the blob file named by `digest`, checked against its content hash.
  absl::StatusOr<store::ArtifactEntry> BlobEntry(const std::string& digest);
  absl::StatusOr<std::string> ReadEntry(const store::ArtifactEntry& entry, int64_t max_size);

  store::ArtifactIndex& index_;
  store::ArtifactStore& blobs_;
  std::string dir_;
};

}  // namespace ferry::package
