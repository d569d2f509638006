#pragma once
// Value types of registry webhooks: a subscription (Webhook) and the log of its deliveries.
// Plain data: no I/O, no JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferry {

struct Webhook {
  std::string id;
  std::string url;
  std::vector<std::string> events;  // wire event names, e.g. "model_version.created"
  std::string secret;               // empty: deliveries are not signed
  std::string description;
  int64_t creation_timestamp = 0;
  // --enable-workspaces: the workspace it was created in; only its models' events reach it.
  std::string workspace = "default";
};

enum class DeliveryState { kPending, kSucceeded, kFailed };
const char* DeliveryStateName(DeliveryState s);  // "pending" | "succeeded" | "failed"

// One POST of a delivery to its webhook's URL.
struct DeliveryAttempt {
  int attempt = 0;  // 1, 2, ...
  int64_t timestamp = 0;
  int64_t duration_ms = 0;
  std::optional<int> http_status;  // absent when no response arrived
  std::string error;               // empty on a 2xx
};

// One event sent to one webhook, with every attempt made so far.
struct WebhookDelivery {
  std::string delivery_id;
  std::string webhook_id;
  std::string event;
  std::string payload;  // the JSON body, fixed when the event happened
  DeliveryState state = DeliveryState::kPending;
  int64_t creation_timestamp = 0;
  std::vector<DeliveryAttempt> attempts;
};

}  // namespace ferry
