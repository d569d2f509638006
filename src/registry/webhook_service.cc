#include "registry/webhook_service.h"

#include "common/strings.h"
#include "core/paging.h"
#include "net/url.h"
#include "registry/webhook_events.h"

namespace ferry::registry {
namespace {

absl::Status ValidateUrl(const std::string& url) {
  if (url.empty()) {
    return absl::InvalidArgumentError("Missing value for required parameter 'url'.");
  }
  absl::StatusOr<net::HttpUrl> parsed = net::ParseHttpUrl(url);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError("Invalid webhook url '" + url +
                                      "': expected http(s)://host[:port][/path]");
  }
  if (parsed->has_userinfo) {
    // The URL is not echoed: it holds a password.
    return absl::InvalidArgumentError(
        "Invalid value for parameter 'url': a webhook url must not contain credentials "
        "(user:password@host); set 'secret' to have deliveries signed instead");
  }
  return absl::OkStatus();
}

absl::Status ValidateEvents(const std::vector<std::string>& events) {
  if (events.empty()) {
    return absl::InvalidArgumentError(
        "Missing value for required parameter 'events': give at least one event name.");
  }
  for (const std::string& e : events) {
    if (IsKnownWebhookEvent(e)) continue;
    std::string known;
    for (const std::string& k : KnownWebhookEvents()) known += (known.empty() ? "" : ", ") + k;
    return absl::InvalidArgumentError("Invalid webhook event '" + e +
                                      "'. Valid events are: " + known);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Webhook> WebhookService::CreateWebhook(const CreateWebhookRequest& r) {
  RETURN_IF_ERROR(ValidateUrl(r.url));
  RETURN_IF_ERROR(ValidateEvents(r.events));
  Webhook w;
  w.id = NewUuidHex(random_);
  w.url = r.url;
  w.events = r.events;
  w.secret = r.secret;
  w.description = r.description;
  w.creation_timestamp = clock_.NowMillis();
  w.workspace = r.workspace;
  RETURN_IF_ERROR(store_.CreateWebhook(w));
  return w;
}

absl::StatusOr<Webhook> WebhookService::GetWebhook(const std::string& workspace,
                                                   const std::string& id) {
  ASSIGN_OR_RETURN(Webhook w, store_.GetWebhook(id));
  if (w.workspace != workspace) {
    return absl::NotFoundError("Webhook with id=" + id + " not found");
  }
  return w;
}

absl::StatusOr<std::vector<Webhook>> WebhookService::ListWebhooks(const std::string& workspace) {
  ASSIGN_OR_RETURN(std::vector<Webhook> all, store_.ListWebhooks());
  std::vector<Webhook> out;
  for (Webhook& w : all) {
    if (w.workspace == workspace) out.push_back(std::move(w));
  }
  return out;
}

absl::Status WebhookService::DeleteWebhook(const std::string& workspace, const std::string& id) {
  RETURN_IF_ERROR(GetWebhook(workspace, id).status());
  return store_.DeleteWebhook(id);
}

absl::StatusOr<std::vector<WebhookDelivery>> WebhookService::ListDeliveries(
    const std::string& workspace, const std::string& id, std::optional<int64_t> limit) {
  ASSIGN_OR_RETURN(int64_t n, CheckMaxResults(limit, 100, 1000));
  RETURN_IF_ERROR(GetWebhook(workspace, id).status());
  return store_.ListDeliveries(id, n);
}

}  // namespace ferry::registry
