#include "registry/webhook_dispatcher.h"

#include <algorithm>
#include <chrono>
#include <climits>

#include "common/logging.h"
#include "registry/webhook_events.h"

namespace ferry::registry {
namespace {

constexpr int64_t kNanosPerMilli = 1000000;
// Workers re-read the clock at least this often while waiting for a retry.
constexpr int64_t kMaxWaitNanos = 1000 * kNanosPerMilli;

}  // namespace

WebhookDispatcher::WebhookDispatcher(store::WebhookStore& store, Clock& clock, Random& random,
                                     WebhookDispatcherOptions options)
    : store_(store), clock_(clock), random_(random), options_(std::move(options)) {}

WebhookDispatcher::~WebhookDispatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cancel_ = true;
  cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

absl::Status WebhookDispatcher::Start() {
  ASSIGN_OR_RETURN(std::vector<WebhookDelivery> pending, store_.ListPendingDeliveries());
  std::map<std::string, absl::StatusOr<Webhook>> hooks;
  int64_t now = clock_.MonotonicNanos();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (WebhookDelivery& d : pending) {
      auto [it, fresh] = hooks.try_emplace(d.webhook_id, absl::UnknownError(""));
      if (fresh) it->second = store_.GetWebhook(d.webhook_id);
      if (!it->second.ok()) continue;
      Pending p;
      p.next_attempt = static_cast<int>(d.attempts.size()) + 1;
      p.target = {it->second->url, it->second->secret};
      p.delivery = std::move(d);
      p.due_ns = now;
      Enqueue(std::move(p));
    }
  }
  if (!pending.empty()) {
    LogInfo("webhook deliveries resumed", {{"count", std::to_string(pending.size())}});
  }
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    workers_.emplace_back([this] { Work(); });
  }
  return absl::OkStatus();
}

void WebhookDispatcher::OnRegistryEvent(const RegistryEvent& event) {
  std::string name = WebhookEventName(event.type);
  absl::StatusOr<std::vector<Webhook>> hooks = store_.ListWebhooks();
  if (!hooks.ok()) {
    LogError("webhooks not listed; event dropped",
             {{"event", name}, {"error", std::string(hooks.status().message())}});
    return;
  }
  std::string payload;
  std::vector<Pending> batch;
  for (const Webhook& w : *hooks) {
    if (w.workspace != event.workspace) continue;  // only its own workspace's models
    if (std::find(w.events.begin(), w.events.end(), name) == w.events.end()) continue;
    if (payload.empty()) payload = WebhookPayload(event);
    Pending p;
    p.delivery.delivery_id = NewUuidHex(random_);
    p.delivery.webhook_id = w.id;
    p.delivery.event = name;
    p.delivery.payload = payload;
    p.delivery.creation_timestamp = clock_.NowMillis();
    p.target = {w.url, w.secret};
    batch.push_back(std::move(p));
  }
  if (batch.empty()) return;
  std::vector<WebhookDelivery> records;
  for (const Pending& p : batch) records.push_back(p.delivery);
  if (absl::Status added = store_.AddDeliveries(records); !added.ok()) {
    LogError("webhook deliveries not recorded; sending anyway",
             {{"event", name}, {"error", std::string(added.message())}});
  }
  std::vector<Pending> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = clock_.MonotonicNanos();
    for (Pending& p : batch) {
      Queue& q = queues_[p.delivery.webhook_id];
      if (q.items.size() + (q.busy ? 1 : 0) >= options_.max_queued_per_webhook) {
        dropped.push_back(std::move(p));
        continue;
      }
      p.due_ns = now;
      Enqueue(std::move(p));
    }
  }
  cv_.notify_all();
  if (!dropped.empty()) RecordOverflow(dropped);
}

void WebhookDispatcher::RecordOverflow(const std::vector<Pending>& dropped) {
  for (const Pending& p : dropped) {
    DeliveryAttempt a;
    a.attempt = 1;
    a.timestamp = clock_.NowMillis();
    a.error = "not sent: " + std::to_string(options_.max_queued_per_webhook) +
              " earlier deliveries to this webhook are still queued";
    absl::Status s =
        store_.RecordDeliveryAttempt(p.delivery.delivery_id, a, DeliveryState::kFailed);
    LogWarn("webhook delivery dropped", {{"url", p.target.url},
                                         {"event", p.delivery.event},
                                         {"error", s.ok() ? a.error : std::string(s.message())}});
  }
}

void WebhookDispatcher::Enqueue(Pending p) {
  std::vector<Pending>& items = queues_[p.delivery.webhook_id].items;
  auto at = std::upper_bound(items.begin(), items.end(), p.due_ns,
                             [](int64_t due, const Pending& x) { return due < x.due_ns; });
  items.insert(at, std::move(p));
}

WebhookDispatcher::Queue* WebhookDispatcher::NextReady(int64_t now_ns, int64_t& next_due_ns) {
  Queue* best = nullptr;
  next_due_ns = INT64_MAX;
  for (auto& [id, q] : queues_) {
    if (q.busy || q.items.empty()) continue;
    int64_t due = q.items.front().due_ns;
    if (due > now_ns) {
      next_due_ns = std::min(next_due_ns, due);
    } else if (best == nullptr || due < best->items.front().due_ns) {
      best = &q;
    }
  }
  return best;
}

void WebhookDispatcher::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    int64_t now = clock_.MonotonicNanos();
    int64_t next_due = 0;
    Queue* q = NextReady(now, next_due);
    if (q == nullptr) {
      if (next_due == INT64_MAX) {
        cv_.wait(lock);
      } else {
        int64_t wait = std::clamp<int64_t>(next_due - now, kNanosPerMilli, kMaxWaitNanos);
        cv_.wait_for(lock, std::chrono::nanoseconds(wait));
      }
      continue;
    }
    Pending p = std::move(q->items.front());
    q->items.erase(q->items.begin());
    q->busy = true;
    ++in_flight_;
    lock.unlock();
    bool retry = Attempt(p);
    lock.lock();
    std::string id = p.delivery.webhook_id;
    q->busy = false;  // the map never erases a busy queue, so `q` is still valid
    --in_flight_;
    if (retry) Enqueue(std::move(p));
    if (q->items.empty()) queues_.erase(id);
    cv_.notify_all();
  }
}

bool WebhookDispatcher::Attempt(Pending& p) {
  SendOutcome out = SendWebhook(p.target, p.delivery, p.next_attempt, options_.request_timeout_ms,
                                options_.destinations, clock_, &cancel_);
  if (out.cancelled) return false;  // shutting down: stays pending in the store
  bool retry = !out.delivered && !out.refused && p.next_attempt <= options_.max_retries;
  DeliveryState state = out.delivered ? DeliveryState::kSucceeded
                        : retry       ? DeliveryState::kPending
                                      : DeliveryState::kFailed;
  absl::Status logged = store_.RecordDeliveryAttempt(p.delivery.delivery_id, out.attempt, state);
  if (absl::IsNotFound(logged)) return false;  // the webhook was deleted: stop
  if (!logged.ok()) {
    LogWarn("webhook attempt not logged", {{"error", std::string(logged.message())}});
  }
  if (!out.delivered) {
    LogWarn("webhook delivery failed", {{"url", p.target.url},
                                        {"event", p.delivery.event},
                                        {"attempt", std::to_string(p.next_attempt)},
                                        {"error", out.attempt.error},
                                        {"retry", retry ? "yes" : "no"}});
  }
  if (!retry) return false;
  int64_t backoff_ms = static_cast<int64_t>(options_.initial_backoff_ms) << (p.next_attempt - 1);
  p.next_attempt++;
  p.due_ns = clock_.MonotonicNanos() + backoff_ms * kNanosPerMilli;
  return true;
}

bool WebhookDispatcher::QuietLocked() {
  if (in_flight_ > 0) return false;
  int64_t next_due = 0;
  return NextReady(clock_.MonotonicNanos(), next_due) == nullptr;
}

void WebhookDispatcher::WaitIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stop_ || (queues_.empty() && in_flight_ == 0); });
}

void WebhookDispatcher::WaitUntilQuiet() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stop_ || QuietLocked(); });
}

void WebhookDispatcher::WakeUp() {
  { std::lock_guard<std::mutex> lock(mu_); }
  cv_.notify_all();
}

}  // namespace ferry::registry
