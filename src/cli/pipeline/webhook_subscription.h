#pragma once
// The webhook `ferry pipeline watch` creates on its tracking server (POST
// /api/ferry/v1/webhooks: the listener's URL, the events its triggers need, a fresh random
// secret) and deletes when it exits (DELETE /api/ferry/v1/webhooks/ID).

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::cli {

class WebhookSubscription {
 public:
  // 64 hex digits from the OS's random source.
  static absl::StatusOr<std::string> NewSecret();
  // Creates the webhook; errors name the server's answer.
  static absl::StatusOr<std::unique_ptr<WebhookSubscription>> Create(
      const std::string& tracking_uri, const std::string& url,
      const std::vector<std::string>& events, const std::string& secret,
      const std::string& description);
  ~WebhookSubscription();  // Delete() unless done

  const std::string& id() const { return id_; }
  // Deletes the webhook (once; a webhook already gone counts as deleted).
  absl::Status Delete();

 private:
  WebhookSubscription(std::string tracking_uri, std::string id)
      : tracking_uri_(std::move(tracking_uri)), id_(std::move(id)) {}
  std::string tracking_uri_;
  std::string id_;
  bool deleted_ = false;
};

}  // namespace ferry::cli
