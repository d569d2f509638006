#pragma once
// Delivers registry events to subscribed webhooks. OnRegistryEvent fans the event out to the
// webhooks subscribed to its name and records each delivery as pending in the WebhookStore
// before it returns, so an event the registry reported is never only in memory: Start()
// reloads pending deliveries after a restart (or a kill -9).
//
// Each webhook has its own queue, served one delivery at a time by a small pool of workers,
// so a receiver that never answers holds one worker for at most the attempt timeout and
// never delays the others (until as many webhooks as workers hang at once). A queue holding
// `max_queued_per_webhook` deliveries takes no more: further events for that webhook are
// recorded as failed with the reason. Failed attempts (connection errors, timeouts, non-2xx)
// are retried with exponential backoff timed on the injected Clock; an address the
// destination policy refuses is not retried. Every attempt is logged in the store.
//
// Thread-safe.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/clock.h"
#include "net/destination_policy.h"
#include "registry/registry_events.h"
#include "registry/webhook_sender.h"
#include "store/webhook_store.h"

namespace ferry::registry {

struct WebhookDispatcherOptions {
  int max_retries = 3;             // attempts after the first
  int initial_backoff_ms = 500;    // then doubled: 0.5 s, 1 s, 2 s
  int request_timeout_ms = 10000;  // a whole attempt, connecting included
  int workers = 4;                 // deliveries in flight at once (one per webhook)
  size_t max_queued_per_webhook = 1000;
  // Which internal addresses deliveries may reach (none by default).
  net::DestinationPolicy destinations;
};

class WebhookDispatcher : public RegistryObserver {
 public:
  WebhookDispatcher(store::WebhookStore& store, Clock& clock, Random& random,
                    WebhookDispatcherOptions options = {});
  // Cancels attempts in flight (within about a second) and stops the workers; unfinished
  // deliveries stay pending in the store.
  ~WebhookDispatcher() override;

  // Reloads pending deliveries from the store and starts the workers.
  absl::Status Start();
  // RegistryObserver: records the event's deliveries in the store, queues them, returns.
  void OnRegistryEvent(const RegistryEvent& event) override;

  // Blocks until every queued delivery succeeded or failed for good (tests).
  void WaitIdle();
  // Blocks until no attempt is in flight and none is due by the clock (tests with a fake
  // clock: advance it, call WakeUp, then WaitUntilQuiet).
  void WaitUntilQuiet();
  // Makes the workers read the clock again.
  void WakeUp();

 private:
  struct Pending {
    WebhookDelivery delivery;
    WebhookTarget target;
    int next_attempt = 1;
    int64_t due_ns = 0;  // on clock_.MonotonicNanos()
  };
  struct Queue {
    std::vector<Pending> items;  // sorted by due_ns
    bool busy = false;           // an attempt is in flight
  };

  void Work();
  // The queue whose head is due first among those due now, or null; `next_due_ns` is set to
  // the earliest future due time (INT64_MAX when none).
  Queue* NextReady(int64_t now_ns, int64_t& next_due_ns) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Enqueue(Pending p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool QuietLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Makes one attempt and records it; returns true to retry `p` (its due time advanced).
  bool Attempt(Pending& p);
  void RecordOverflow(const std::vector<Pending>& dropped);

  store::WebhookStore& store_;
  Clock& clock_;
  Random& random_;
  const WebhookDispatcherOptions options_;
  std::atomic<bool> cancel_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Queue> queues_ ABSL_GUARDED_BY(mu_);  // by webhook id
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace ferry::registry
