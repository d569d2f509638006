#include "registry/webhook_dispatcher.h"

#include <algorithm>

#include "common/logging.h"
#include "http/client/http_client.h"
#include "registry/webhook_events.h"
#include "registry/webhook_signature.h"

namespace ferry {

WebhookDispatcher::WebhookDispatcher(WebhookStore& store, Clock& clock, Random& random,
                                     WebhookDispatcherOptions options)
    : store_(store), clock_(clock), random_(random), options_(options) {}

WebhookDispatcher::~WebhookDispatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

absl::Status WebhookDispatcher::Start() {
  ASSIGN_OR_RETURN(std::vector<WebhookDelivery> pending, store_.ListPendingDeliveries());
  for (WebhookDelivery& d : pending) {
    absl::StatusOr<Webhook> w = store_.GetWebhook(d.webhook_id);
    if (!w.ok()) continue;
    Scheduled s;
    s.next_attempt = static_cast<int>(d.attempts.size()) + 1;
    s.delivery = std::move(d);
    s.url = w->url;
    s.secret = w->secret;
    s.due = std::chrono::steady_clock::now();
    Schedule(std::move(s));
  }
  if (!pending.empty()) {
    LogInfo("webhook deliveries resumed", {{"count", std::to_string(pending.size())}});
  }
  thread_ = std::thread([this] { Loop(); });
  return absl::OkStatus();
}

void WebhookDispatcher::OnRegistryEvent(const RegistryEvent& event) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(event);
  }
  cv_.notify_all();
}

void WebhookDispatcher::WaitIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stop_ || (events_.empty() && scheduled_.empty() && !busy_); });
}

void WebhookDispatcher::Schedule(Scheduled s) {
  std::lock_guard<std::mutex> lock(mu_);
  auto at = std::upper_bound(scheduled_.begin(), scheduled_.end(), s.due,
                             [](TimePoint due, const Scheduled& x) { return due < x.due; });
  scheduled_.insert(at, std::move(s));
}

void WebhookDispatcher::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (!events_.empty()) {
      RegistryEvent event = std::move(events_.front());
      events_.pop_front();
      busy_ = true;
      lock.unlock();
      FanOut(event);
      lock.lock();
      busy_ = false;
      cv_.notify_all();
      continue;
    }
    if (scheduled_.empty()) {
      cv_.wait(lock);
      continue;
    }
    if (scheduled_.front().due > std::chrono::steady_clock::now()) {
      cv_.wait_until(lock, scheduled_.front().due);
      continue;
    }
    Scheduled s = std::move(scheduled_.front());
    scheduled_.erase(scheduled_.begin());
    busy_ = true;
    lock.unlock();
    bool retry = Attempt(s);
    if (retry) Schedule(std::move(s));
    lock.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

void WebhookDispatcher::FanOut(const RegistryEvent& event) {
  std::string name = WebhookEventName(event.type);
  absl::StatusOr<std::vector<Webhook>> hooks = store_.ListWebhooks();
  if (!hooks.ok()) {
    LogError("webhooks not listed; event dropped",
             {{"event", name}, {"error", std::string(hooks.status().message())}});
    return;
  }
  std::string payload;
  std::vector<Scheduled> batch;
  for (const Webhook& w : *hooks) {
    if (std::find(w.events.begin(), w.events.end(), name) == w.events.end()) continue;
    if (payload.empty()) payload = WebhookPayload(event);
    Scheduled s;
    s.delivery.delivery_id = NewUuidHex(random_);
    s.delivery.webhook_id = w.id;
    s.delivery.event = name;
    s.delivery.payload = payload;
    s.delivery.creation_timestamp = clock_.NowMillis();
    s.url = w.url;
    s.secret = w.secret;
    s.due = std::chrono::steady_clock::now();
    batch.push_back(std::move(s));
  }
  if (batch.empty()) return;
  std::vector<WebhookDelivery> records;
  for (const Scheduled& s : batch) records.push_back(s.delivery);
  if (absl::Status added = store_.AddDeliveries(records); !added.ok()) {
    LogError("webhook deliveries not recorded; sending anyway",
             {{"event", name}, {"error", std::string(added.message())}});
  }
  for (Scheduled& s : batch) Schedule(std::move(s));
}

bool WebhookDispatcher::Attempt(Scheduled& s) {
  DeliveryAttempt attempt;
  attempt.attempt = s.next_attempt;
  attempt.timestamp = clock_.NowMillis();
  int64_t start_ns = clock_.MonotonicNanos();
  std::string unix_seconds = std::to_string(attempt.timestamp / 1000);
  http::ClientRequest req;
  req.method = "POST";
  req.target = s.url;
  req.body = s.delivery.payload;
  req.max_response_bytes = 64 << 10;  // only the status matters; never buffer a huge answer
  req.headers = {{"Content-Type", "application/json"},
                 {kWebhookDeliveryIdHeader, s.delivery.delivery_id},
                 {kWebhookTimestampHeader, unix_seconds}};
  if (!s.secret.empty()) {
    req.headers.emplace_back(
        kWebhookSignatureHeader,
        WebhookSignature(s.secret, s.delivery.delivery_id, unix_seconds, s.delivery.payload));
  }
  absl::StatusOr<http::ClientResponse> resp = absl::UnavailableError("no client");
  absl::StatusOr<http::HttpClient> client = http::HttpClient::ForUri(s.url);
  if (client.ok()) {
    client->set_timeout_ms(options_.request_timeout_ms);
    resp = client->Do(req);
  } else {
    resp = client.status();
  }
  attempt.duration_ms = (clock_.MonotonicNanos() - start_ns) / 1000000;
  bool ok = false;
  if (resp.ok()) {
    attempt.http_status = resp->status;
    ok = resp->status >= 200 && resp->status < 300;
    if (!ok) attempt.error = "HTTP " + std::to_string(resp->status);
  } else {
    attempt.error = std::string(resp.status().message());
  }
  bool retry = !ok && s.next_attempt <= options_.max_retries;
  DeliveryState state = ok      ? DeliveryState::kSucceeded
                        : retry ? DeliveryState::kPending
                                : DeliveryState::kFailed;
  absl::Status logged = store_.RecordDeliveryAttempt(s.delivery.delivery_id, attempt, state);
  if (absl::IsNotFound(logged)) return false;  // the webhook was deleted: stop
  if (!logged.ok()) {
    LogWarn("webhook attempt not logged", {{"error", std::string(logged.message())}});
  }
  if (!ok) {
    LogWarn("webhook delivery failed", {{"url", s.url},
                                        {"event", s.delivery.event},
                                        {"attempt", std::to_string(attempt.attempt)},
                                        {"error", attempt.error},
                                        {"retry", retry ? "yes" : "no"}});
  }
  if (!retry) return false;
  int64_t backoff = static_cast<int64_t>(options_.initial_backoff_ms) << (s.next_attempt - 1);
  s.next_attempt++;
  s.due = std::chrono::steady_clock::now() + std::chrono::milliseconds(backoff);
  return true;
}

}  // namespace ferry
