#include "app/store_factory.h"

#include "app/store_uri.h"
#include "common/fs.h"
#include "common/strings.h"
#include "net/s3_client.h"
#include "store/cas/file_artifact_store.h"
#include "store/s3/s3_artifact_store.h"
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

absl::StatusOr<store::ArtifactStorePtr> OpenArtifactStore(const std::string& uri,
                                                          const std::string& s3_endpoint_url) {
  if (IsS3Uri(uri)) {
    ASSIGN_OR_RETURN(S3Location loc, S3LocationFromUri(uri));
    ASSIGN_OR_RETURN(net::S3Config config,
                     net::S3ConfigFromEnvironment(loc.bucket, s3_endpoint_url));
    ASSIGN_OR_RETURN(net::S3Client client, net::S3Client::Create(config));
    return store::s3::S3ArtifactStore::Create(std::move(client), loc.prefix);
  }
  ASSIGN_OR_RETURN(std::string path, FilePathFromUri(uri, CurrentDir()));
  return store::cas::FileArtifactStore::Create(path);
}

}  // namespace ferry::app
