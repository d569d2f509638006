#include "app/store_factory.h"

#include "app/store_uri.h"
#include "common/fs.h"
#include "common/strings.h"
#include "store/cas/file_artifact_store.h"
#include "store/sqlite/sqlite_store.h"

namespace ferry::app {

absl::StatusOr<store::MetadataBackendPtr> OpenMetadataBackend(const std::string& uri,
                                                              bool sync_full) {
  if (StartsWith(uri, "sqlite:")) {
    ASSIGN_OR_RETURN(std::string path, SqlitePathFromUri(uri, CurrentDir()));
    return store::sqlite::SqliteStore::Create(path, sync_full);
  }
  return absl::InvalidArgumentError(
      "Unsupported backend store URI '" + uri +
      "': expected sqlite:///relative/path.db or sqlite:////absolute/path.db");
}

absl::StatusOr<store::ArtifactStorePtr> OpenArtifactStore(const std::string& uri) {
  ASSIGN_OR_RETURN(std::string path, FilePathFromUri(uri, CurrentDir()));
  return store::cas::FileArtifactStore::Create(path);
}

}  // namespace ferry::app
