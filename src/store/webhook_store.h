#pragma once
// Persistence of webhook subscriptions and their delivery log, so that deliveries survive a
// restart. Implementations are safe for concurrent use; each method is one transaction.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/webhook_types.h"

namespace ferry::store {

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  // Inserts a webhook whose id and timestamp are filled in.
  virtual absl::Status CreateWebhook(const Webhook& webhook) = 0;
  // kNotFound "Webhook with id=<id> not found".
  virtual absl::StatusOr<Webhook> GetWebhook(const std::string& id) = 0;
  // Oldest first.
  virtual absl::StatusOr<std::vector<Webhook>> ListWebhooks() = 0;
  // Deletes the webhook and its delivery log. kNotFound as GetWebhook.
  virtual absl::Status DeleteWebhook(const std::string& id) = 0;

  // Records deliveries (state pending, no attempts) in one transaction. A delivery whose
  // webhook was deleted meanwhile is skipped.
  virtual absl::Status AddDeliveries(const std::vector<WebhookDelivery>& deliveries) = 0;
  // Logs one attempt and sets the delivery's state. kNotFound if the delivery is gone (its
  // webhook was deleted), so the sender can stop retrying it.
  virtual absl::Status RecordDeliveryAttempt(const std::string& delivery_id,
                                             const DeliveryAttempt& attempt,
                                             DeliveryState state) = 0;
  // The newest `limit` deliveries of a webhook with their attempts, newest first.
  virtual absl::StatusOr<std::vector<WebhookDelivery>> ListDeliveries(const std::string& webhook_id,
                                                                      int64_t limit) = 0;
  // Every pending delivery with its attempts so far, oldest first.
  virtual absl::StatusOr<std::vector<WebhookDelivery>> ListPendingDeliveries() = 0;
};

}  // namespace ferry::store
