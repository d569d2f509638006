#pragma once
// Webhook event names and payloads. Names and payload shapes follow MLflow 3.3+ webhooks
// (mlflow/webhooks/types.py) where MLflow has the event:
//   registered_model.created        {name, tags{}, description}
//   model_version.created           {name, version, source, run_id, tags{}, description}
//   model_version_tag.set           {name, version, key, value}
//   model_version_tag.deleted       {name, version, key}
//   model_version_alias.created     {name, alias, version}
//   model_version_alias.deleted     {name, alias}
// and adds Ferry's own in the same entity.action style:
//   registered_model_tag.set        {name, key, value}
//   model_version.stage_changed     {name, version, stage}
// and live monitoring's alerts (app), data as docs/MONITORING.md's AlertEvent JSON:
//   monitoring_alert.firing         {kind, state, deployment, first_window, last_window,
//   monitoring_alert.resolved        columns, stattests, statistics, message}
// The body is {"entity": ..., "action": ..., "timestamp": "<ISO 8601 UTC>", "data": {...}}.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/registry_events.h"

namespace ferry::registry {

// The webhook event name of a registry event, e.g. "model_version_alias.created".
std::string WebhookEventName(RegistryEventType type);
// Every event name a webhook may subscribe to, in a fixed order.
const std::vector<std::string>& KnownWebhookEvents();
bool IsKnownWebhookEvent(std::string_view name);
// The JSON body delivered for `event`.
std::string WebhookPayload(const RegistryEvent& event);

}  // namespace ferry::registry
