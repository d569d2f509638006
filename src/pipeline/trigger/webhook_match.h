#pragma once
// Alert and registry triggers from the webhooks a tracking server delivers: the events a
// watcher subscribes to, and which trigger (if any) a delivered body fires. Pure: the
// signature is checked before (cli/pipeline/webhook_listener), the body is only read here.
//
// A body is MLflow's {"entity", "action", "timestamp", "data": {...}}. An alert trigger fires
// on monitoring_alert.firing whose data names its deployment and a kind its type asks for; a
// registry trigger on its event, for its model when it names one (data.name).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pipeline/trigger/run_coalescer.h"
#include "pipeline/trigger/trigger_spec.h"

namespace ferry::pipeline {

// The webhook events (entity.action) `triggers` need, sorted, each once; empty when no
// trigger is an alert or registry one.
std::vector<std::string> WebhookEventsFor(const std::vector<TriggerSpec>& triggers);

// The event `body` fires (by the first trigger it matches), at `now_unix`: detail
// "monitoring_alert: data_drift on churn (window 4, columns x1)" or
// "registry: model_version.created bc v3". nullopt when it matches none; kInvalidArgument
// when the body is not a webhook delivery.
absl::StatusOr<std::optional<TriggerEvent>> MatchWebhook(const std::vector<TriggerSpec>& triggers,
                                                         std::string_view body, int64_t now_unix);

}  // namespace ferry::pipeline
