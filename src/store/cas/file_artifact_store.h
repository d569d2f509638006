#pragma once
// ArtifactStore on a local directory: blobs live at <root>/blobs/sha256/<aa>/<hex>, written
// to <root>/tmp first and renamed into place after fsync.

#include <memory>
#include <string>

#include "store/artifact_store.h"

namespace ferry {

class FileArtifactStore : public ArtifactStore {
 public:
  // Creates `root` if needed. kPermissionDenied / kFailedPrecondition if it is unusable.
  static absl::StatusOr<ArtifactStorePtr> Create(const std::string& root);
};

}  // namespace ferry
