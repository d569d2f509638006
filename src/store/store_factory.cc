#include "store/store_factory.h"

#include "common/strings.h"
#include "store/cas/file_artifact_store.h"
#include "store/sqlite/sqlite_store.h"

namespace ferry {

absl::StatusOr<MetadataBackendPtr> OpenMetadataBackend(const std::string& uri, bool sync_full) {
  if (StartsWith(uri, "sqlite://")) {
    std::string path = uri.substr(strlen("sqlite://"));
    // sqlite:///abs/path -> "/abs/path"; sqlite://rel/path -> "rel/path"
    return SqliteStore::Create(path, sync_full);
  }
  return absl::InvalidArgumentError("Unsupported backend store URI '" + uri +
                                    "': expected sqlite:///PATH");
}

absl::StatusOr<ArtifactStorePtr> OpenArtifactStore(const std::string& uri) {
  std::string path = uri;
  if (StartsWith(uri, "file://")) {
    path = uri.substr(strlen("file://"));
  } else if (uri.find("://") != std::string::npos) {
    return absl::InvalidArgumentError("Unsupported artifact store URI '" + uri +
                                      "': expected file:///PATH");
  }
  return FileArtifactStore::Create(path);
}

}  // namespace ferry
