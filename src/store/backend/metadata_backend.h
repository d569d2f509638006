#pragma once
// What a metadata backend implements: one database that also keeps the artifact path index,
// the model registry, the webhook subscriptions, the workspaces and authentication's users, grants,
// tokens and audit log. An interface only (the concrete backends live in store/sqlite, later
// store/postgres); app opens one by URI (app/store_factory.h), and hands it to auth/ as an
// AuthStore.

#include <memory>

#include "store/artifact_index.h"
#include "store/audit_store.h"
#include "store/auth_store.h"
#include "store/metadata_store.h"
#include "store/registry_store.h"
#include "store/store_timing.h"
#include "store/webhook_store.h"
#include "store/workspace_store.h"

namespace ferry::store {

class MetadataBackend : public MetadataStore,
                        public ArtifactIndex,
                        public RegistryStore,
                        public WebhookStore,
                        public AuthStore,
                        public AuditStore,
                        public WorkspaceStore {
 public:
  // Reports every transaction's duration to `observer` (null: stop); it must outlive the
  // backend or be unset first. Call before the backend is shared between threads.
  virtual void SetTimingObserver(StoreTimingObserver* observer) {}
};
using MetadataBackendPtr = std::unique_ptr<MetadataBackend>;

}  // namespace ferry::store
