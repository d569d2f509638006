#include "store/cas/file_artifact_store.h"

namespace ferry {

absl::StatusOr<ArtifactStorePtr> FileArtifactStore::Create(const std::string& root) {
  return absl::UnimplementedError("FileArtifactStore is not written yet");
}

}  // namespace ferry
