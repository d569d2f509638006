#pragma once
// The path index of the artifact proxy: maps artifact paths (relative to the artifact root,
// e.g. "1/<run_id>/artifacts/model/weights.bin") to content digests held by ArtifactStore.
// Safe for concurrent use.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::store {

struct ArtifactEntry {
  std::string path;
  std::string digest;  // lowercase hex sha256
  int64_t size = 0;
  int64_t created_ms = 0;
};

class ArtifactIndex {
 public:
  virtual ~ArtifactIndex() = default;
  // Points `path` at a blob, replacing any previous entry. Returns the digest the path
  // pointed at before if no entry references it any more (for blob GC), else nothing.
  virtual absl::StatusOr<std::vector<std::string>> PutArtifact(const ArtifactEntry& entry) = 0;
  // kNotFound if no file is recorded at exactly `path`.
  virtual absl::StatusOr<ArtifactEntry> GetArtifact(const std::string& path) = 0;
  // Every file at or below directory `dir` ("" = the root), ordered by path.
  virtual absl::StatusOr<std::vector<ArtifactEntry>> ListArtifactsUnder(const std::string& dir) = 0;
  // Removes the file at `path` or everything below directory `path`. Returns how many
  // entries were removed and the digests no entry references any more (for blob GC).
  virtual absl::StatusOr<std::vector<std::string>> DeleteArtifacts(const std::string& path,
                                                                   int64_t* removed) = 0;
};

}  // namespace ferry::store
