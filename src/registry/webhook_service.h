#pragma once
// Webhook subscriptions (Ferry's /api/ferry/v1/webhooks): validation and CRUD over a
// WebhookStore, and the delivery log. Deliveries themselves are WebhookDispatcher's job.
// Thread-safe if the store is.

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "core/webhook_types.h"
#include "store/webhook_store.h"

namespace ferry::registry {

struct CreateWebhookRequest {
  std::string workspace = "default";  // --enable-workspaces: the request's
  std::string url;                    // required, http(s)://host[:port][/path], no user:pass@
  std::vector<std::string> events;    // required, non-empty, each a known event name
  std::string secret;                 // optional: deliveries are signed when set
  std::string description;
};

class WebhookService {
 public:
  WebhookService(store::WebhookStore& store, Clock& clock, Random& random)
      : store_(store), clock_(clock), random_(random) {}

  // kInvalidArgument naming the field for a missing or bad url (credentials in it included)
  // or events.
  absl::StatusOr<Webhook> CreateWebhook(const CreateWebhookRequest& r);
  // A webhook belongs to the workspace it was created in: another workspace's answers
  // kNotFound, as a missing one, and is not listed.
  absl::StatusOr<Webhook> GetWebhook(const std::string& workspace, const std::string& id);
  absl::StatusOr<std::vector<Webhook>> ListWebhooks(const std::string& workspace);
  absl::Status DeleteWebhook(const std::string& workspace, const std::string& id);
  // The newest deliveries first; `limit` default 100, at most 1000.
  absl::StatusOr<std::vector<WebhookDelivery>> ListDeliveries(const std::string& workspace,
                                                              const std::string& id,
                                                              std::optional<int64_t> limit);

 private:
  store::WebhookStore& store_;
  Clock& clock_;
  Random& random_;
};

}  // namespace ferry::registry
