#pragma once
// Opening stores by URI. Only app/ (and tests) call these; services see the interfaces.

#include <memory>
#include <string>

#include "common/status.h"
#include "store/artifact_index.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"
#include "store/registry_store.h"
#include "store/webhook_store.h"

namespace ferry {

// A metadata backend also keeps the artifact path index, the model registry and the webhook
// subscriptions (same database).
class MetadataBackend : public MetadataStore,
                        public ArtifactIndex,
                        public RegistryStore,
                        public WebhookStore {};
using MetadataBackendPtr = std::unique_ptr<MetadataBackend>;

// "sqlite:///relative/path.db" or "sqlite:////absolute/path.db" (store_uri.h). Creates or
// migrates the schema.
// kFailedPrecondition if the database has a newer schema than this binary understands.
// `sync_full`: every commit is fsynced (SQLite synchronous=FULL) instead of NORMAL.
absl::StatusOr<MetadataBackendPtr> OpenMetadataBackend(const std::string& uri,
                                                       bool sync_full = false);
// "file:///abs/dir" or a plain path (store_uri.h).
absl::StatusOr<ArtifactStorePtr> OpenArtifactStore(const std::string& uri);

}  // namespace ferry
