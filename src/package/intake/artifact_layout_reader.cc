#include "package/intake/artifact_layout_reader.h"

namespace ferry::package {

std::string PackageArtifactDir(const std::string& manifest_digest) {
  return std::string(kPackagesArtifactRoot) + "/" + CosignTag(manifest_digest, "");
}

absl::StatusOr<std::string> ArtifactLayoutReader::ReadEntry(const store::ArtifactEntry& entry,
                                                            int64_t max_size) {
  if (entry.size > max_size) {
    return absl::InvalidArgumentError("'" + entry.path + "' is " + std::to_string(entry.size) +
                                      " bytes, more than the " + std::to_string(max_size) +
                                      " allowed for it");
  }
  ASSIGN_OR_RETURN(auto reader, blobs_.Open(entry.digest));
  std::string out(static_cast<size_t>(entry.size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ASSIGN_OR_RETURN(size_t n, reader->Read(out.data() + done, out.size() - done));
    if (n == 0) return absl::DataLossError("'" + entry.path + "' is shorter than recorded");
    done += n;
  }
  return out;
}

absl::StatusOr<ImageIndex> ArtifactLayoutReader::ReadIndex() {
  auto entry = index_.GetArtifact(dir_ + "/index.json");
  if (absl::IsNotFound(entry.status())) {
    return absl::NotFoundError("no package at '" + dir_ + "': index.json is missing");
  }
  RETURN_IF_ERROR(entry.status());
  ASSIGN_OR_RETURN(std::string bytes, ReadEntry(*entry, kMaxMetadataBlob));
  return ParseIndex(bytes);
}

absl::StatusOr<store::ArtifactEntry> ArtifactLayoutReader::BlobEntry(const std::string& digest) {
  RETURN_IF_ERROR(ValidateDigest(digest, "blob digest"));
  std::string hex = DigestHex(digest);
  auto entry = index_.GetArtifact(dir_ + "/blobs/sha256/" + hex);
  if (absl::IsNotFound(entry.status())) {
    return absl::NotFoundError("blob " + digest + " is missing from the package");
  }
  RETURN_IF_ERROR(entry.status());
  if (entry->digest != hex) {
    return absl::DataLossError("blob " + digest +
                               " does not match its content (sha256:" + entry->digest + ")");
  }
  return *entry;
}

absl::StatusOr<std::string> ArtifactLayoutReader::ReadBlob(const std::string& digest,
                                                           int64_t max_size) {
  ASSIGN_OR_RETURN(store::ArtifactEntry entry, BlobEntry(digest));
  return ReadEntry(entry, max_size);
}

absl::Status ArtifactLayoutReader::CheckBlob(const Descriptor& d) {
  ASSIGN_OR_RETURN(store::ArtifactEntry entry, BlobEntry(d.digest));
  if (entry.size != d.size) {
    return absl::DataLossError("blob " + d.digest + " is " + std::to_string(entry.size) +
                               " bytes, the manifest says " + std::to_string(d.size));
  }
  return absl::OkStatus();
}

}  // namespace ferry::package
