#pragma once
// Events the registry publishes after each committed change, for observers such as the
// webhook dispatcher (wired in app/). Observers are called on the thread that made the change
// (a request thread or the registration worker) and must not block: queue and return.

#include <cstdint>
#include <string>
#include <vector>

#include "core/registry_types.h"

namespace ferry::registry {

enum class RegistryEventType {
  kRegisteredModelCreated,
  kRegisteredModelTagSet,
  kModelVersionCreated,
  kModelVersionTagSet,
  kModelVersionTagDeleted,
  kModelVersionAliasSet,
  kModelVersionAliasDeleted,
  kModelVersionStageChanged,
  // Live monitoring (app): an alert of a served deployment fired or resolved. Not from the
  // registry itself; delivered through the same webhooks. `data_json` holds the payload.
  kMonitoringAlertFiring,
  kMonitoringAlertResolved,
};

// "registered_model.created", "registered_model.tag_set", "model_version.created",
// "model_version.tag_set", "model_version.tag_deleted", "model_version.alias_set",
// "model_version.alias_deleted", "model_version.stage_changed".
const char* RegistryEventName(RegistryEventType type);

struct RegistryEvent {
  RegistryEventType type = RegistryEventType::kModelVersionCreated;
  std::string workspace = "default";  // the model's (--enable-workspaces)
  std::string model_name;
  int64_t version = 0;  // 0 for model-level events and alias deletion
  std::string alias;    // alias events
  std::string stage;    // stage_changed: the new stage ("Production", ...)
  std::string tag_key;  // tag events
  std::string tag_value;
  // created events: what MLflow's webhook payloads carry.
  std::string source;
  std::string run_id;
  std::string description;
  std::vector<KeyValue> tags;
  int64_t timestamp_ms = 0;
  std::string data_json;  // monitoring events: the webhook payload's "data" object
};

class RegistryObserver {
 public:
  virtual ~RegistryObserver() = default;
  // Called once per committed change. Must not block.
  virtual void OnRegistryEvent(const RegistryEvent& event) = 0;
};

}  // namespace ferry::registry
