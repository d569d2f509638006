#pragma once
// An OCI image layout as one tar file, for handing a package to another organisation.
//
// Export writes a reproducible archive of a layout: the directories blobs/ and
// blobs/sha256/, every blob reachable from index.json (manifests, configs, layers), then
// index.json and oci-layout; lexicographic order, mtime 0, uid/gid 0, modes 0644/0755.
//
// Import treats the archive as hostile. It accepts only the entries an OCI layout has
// (oci-layout, index.json, blobs/, blobs/sha256/, blobs/sha256/<64 hex>; a leading "./" is
// allowed) and refuses absolute paths, "..", links, devices, FIFOs, duplicates, truncated
// archives, bad header checksums and a missing end-of-archive marker. After extraction
// every blob must hash to its name, every manifest in the index (signature and attestation
// tags included) must have all its blobs with the sizes its descriptors say, and no blob
// may be left unreferenced. Extraction goes to a staging directory beside the destination,
// renamed into place only when all of this holds; on any error nothing is left behind.
// Errors are kInvalidArgument (kDataLoss for content mismatches) and name the entry.

#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::package {

class ByteSource;
class OciLayout;

// The digests of every blob the layout's index reaches (its manifests, their configs and
// layers), sorted. kDataLoss naming the manifest when one is missing.
absl::StatusOr<std::vector<std::string>> ReachableBlobDigests(OciLayout& layout);

absl::Status Export(const std::string& layout_dir, const std::string& tar_path);

// `dest_dir` must not exist, or be an empty directory.
absl::Status Import(const std::string& tar_path, const std::string& dest_dir);
absl::Status ImportFrom(ByteSource& src, const std::string& dest_dir);

}  // namespace ferry::package
