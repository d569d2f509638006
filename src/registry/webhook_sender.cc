#include "registry/webhook_sender.h"

#include "net/http_client.h"
#include "registry/webhook_signature.h"

namespace ferry::registry {
namespace {

// Only the status matters; never buffer a huge answer.
constexpr int64_t kMaxAnswerBytes = 64 << 10;

net::ClientRequest BuildRequest(const WebhookTarget& target, const WebhookDelivery& d,
                                int64_t now_ms) {
  std::string unix_seconds = std::to_string(now_ms / 1000);
  net::ClientRequest req;
  req.method = "POST";
  req.target = target.url;
  req.body = d.payload;
  req.max_response_bytes = kMaxAnswerBytes;
  req.headers = {{"Content-Type", "application/json"},
                 {kWebhookDeliveryIdHeader, d.delivery_id},
                 {kWebhookTimestampHeader, unix_seconds}};
  if (!target.secret.empty()) {
    req.headers.emplace_back(kWebhookSignatureHeader, WebhookSignature(target.secret, d.delivery_id,
                                                                       unix_seconds, d.payload));
  }
  return req;
}

}  // namespace

SendOutcome SendWebhook(const WebhookTarget& target, const WebhookDelivery& delivery,
                        int attempt_no, int timeout_ms, const net::DestinationPolicy& policy,
                        Clock& clock, const std::atomic<bool>* cancel) {
  SendOutcome out;
  out.attempt.attempt = attempt_no;
  out.attempt.timestamp = clock.NowMillis();
  int64_t start_ns = clock.MonotonicNanos();
  net::ClientRequest req = BuildRequest(target, delivery, out.attempt.timestamp);
  req.cancel = cancel;
  absl::StatusOr<net::ClientResponse> resp = absl::UnavailableError("no client");
  absl::StatusOr<net::HttpClient> client = net::HttpClient::ForUri(target.url);
  if (client.ok()) {
    client->set_timeout_ms(timeout_ms);
    client->set_total_timeout_ms(timeout_ms);
    client->set_address_filter(policy.Filter());
    resp = client->Do(req);
  } else {
    resp = client.status();
  }
  out.attempt.duration_ms = (clock.MonotonicNanos() - start_ns) / 1000000;
  if (resp.ok()) {
    out.attempt.http_status = resp->status;
    out.delivered = resp->status >= 200 && resp->status < 300;
    if (!out.delivered) out.attempt.error = "HTTP " + std::to_string(resp->status);
    return out;
  }
  out.attempt.error = std::string(resp.status().message());
  out.refused = absl::IsPermissionDenied(resp.status());
  out.cancelled = absl::IsCancelled(resp.status());
  if (out.refused) {
    out.attempt.error += "; list it in `ferry server --webhook-allow-hosts` to allow it";
  }
  return out;
}

}  // namespace ferry::registry
