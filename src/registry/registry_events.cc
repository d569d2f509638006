#include "registry/registry_events.h"

namespace ferry::registry {

const char* RegistryEventName(RegistryEventType type) {
  switch (type) {
    case RegistryEventType::kRegisteredModelCreated:
      return "registered_model.created";
    case RegistryEventType::kRegisteredModelTagSet:
      return "registered_model.tag_set";
    case RegistryEventType::kModelVersionCreated:
      return "model_version.created";
    case RegistryEventType::kModelVersionTagSet:
      return "model_version.tag_set";
    case RegistryEventType::kModelVersionTagDeleted:
      return "model_version.tag_deleted";
    case RegistryEventType::kModelVersionAliasSet:
      return "model_version.alias_set";
    case RegistryEventType::kModelVersionAliasDeleted:
      return "model_version.alias_deleted";
    case RegistryEventType::kModelVersionStageChanged:
      return "model_version.stage_changed";
    case RegistryEventType::kMonitoringAlertFiring:
      return "monitoring_alert.firing";
    case RegistryEventType::kMonitoringAlertResolved:
      return "monitoring_alert.resolved";
  }
  return "unknown";
}

}  // namespace ferry::registry
