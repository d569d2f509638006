#pragma once
// One attempt at delivering a webhook event: the POST with MLflow's headers and signature,
// bounded in time and in the size of the answer read back, to an address the destination
// policy allows (vetted after DNS resolution, on the socket libcurl is about to connect;
// redirects are not followed). The outcome is what the delivery log records.

#include <atomic>
#include <string>

#include "common/clock.h"
#include "core/webhook_types.h"
#include "net/destination_policy.h"

namespace ferry::registry {

struct WebhookTarget {
  std::string url;
  std::string secret;  // empty: not signed
};

struct SendOutcome {
  DeliveryAttempt attempt;  // number, timestamp, duration, status or error filled in
  bool delivered = false;   // a 2xx answer
  bool refused = false;     // the policy refused the address: retrying cannot help
  bool cancelled = false;   // `cancel` turned true: nothing to record
};

// Posts `delivery` as attempt number `attempt_no`. Never fails: errors land in the outcome.
SendOutcome SendWebhook(const WebhookTarget& target, const WebhookDelivery& delivery,
                        int attempt_no, int timeout_ms, const net::DestinationPolicy& policy,
                        Clock& clock, const std::atomic<bool>* cancel);

}  // namespace ferry::registry
