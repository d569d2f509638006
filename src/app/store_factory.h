#pragma once
// Opening stores by URI: the one place that names the concrete backends (store/sqlite,
// store/cas). Only app/ calls these; services see the interfaces in store/.

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
// "file:///abs/dir" or a plain path (store_uri.h).
absl::StatusOr<store::ArtifactStorePtr> OpenArtifactStore(const std::string& uri);

}  // namespace ferry::app
