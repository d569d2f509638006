#pragma once
// Opening stores by URI: the one place that names the concrete backends (store/sqlite,
// store/cas, store/s3). Only app/ calls these; services see the interfaces in store/.

#include <memory>
#include <string>

#include "common/status.h"
#include "store/artifact_store.h"
#include "store/backend/metadata_backend.h"

namespace ferry::app {

// "sqlite:///relative/path.db" or "sqlite:////absolute/path.db" (store_uri.h). Creates or
// migrates the schema. The backend is every metadata store at once (metadata_backend.h): pass
// it as the store::WebhookStore of registry/ or the store::AuthStore of auth/.
// kFailedPrecondition if the database has a newer schema than this binary understands.
// `sync_full`: every commit is fsynced (SQLite synchronous=FULL) instead of NORMAL.
absl::StatusOr<store::MetadataBackendPtr> OpenMetadataBackend(const std::string& uri,
                                                              bool sync_full = false);
// "file:///abs/dir" or a plain path, or "s3://bucket/prefix" (store_uri.h) with credentials
// and region from the AWS environment variables and the endpoint `s3_endpoint_url` (when
// empty, MLFLOW_S3_ENDPOINT_URL, else AWS itself). An S3 store is checked by writing a probe
// object: a wrong bucket, endpoint or key fails here with S3's reason.
absl::StatusOr<store::ArtifactStorePtr> OpenArtifactStore(const std::string& uri,
                                                          const std::string& s3_endpoint_url = "");

}  // namespace ferry::app
