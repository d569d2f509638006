#pragma once
// What a metadata backend implements: one database that also keeps the artifact path index,
// the model registry and the webhook subscriptions. An interface only (the concrete backends
// live in store/sqlite, later store/postgres); app opens one by URI (app/store_factory.h).

#include <memory>

#include "store/artifact_index.h"
#include "store/metadata_store.h"
#include "store/registry_store.h"
#include "store/webhook_store.h"

namespace ferry {

class MetadataBackend : public MetadataStore,
                        public ArtifactIndex,
                        public RegistryStore,
                        public WebhookStore {};
using MetadataBackendPtr = std::unique_ptr<MetadataBackend>;

}  // namespace ferry
