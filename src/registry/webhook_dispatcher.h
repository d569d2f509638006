#pragma once
// Delivers registry events to subscribed webhooks. OnRegistryEvent only queues the event; one
// worker thread fans it out to the webhooks subscribed to its event name, records each
// delivery as pending in the WebhookStore (so a restart resumes it: Start() reloads pending
// deliveries), POSTs it with MLflow's headers and signature, retries connection failures and
// non-2xx answers with exponential backoff, and logs every attempt in the store.
//
// An event still in the in-memory queue when the process dies is lost; once recorded, a
// delivery is retried until it succeeds or runs out of attempts, across restarts.
//
// Thread-safe. A slow receiver delays later deliveries (one worker), never a registry request.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/clock.h"
#include "registry/registry_events.h"
#include "store/webhook_store.h"

namespace ferry {

struct WebhookDispatcherOptions {
  int max_retries = 3;             // attempts after the first
  int initial_backoff_ms = 500;    // then doubled: 0.5 s, 1 s, 2 s
  int request_timeout_ms = 10000;  // per socket operation
};

class WebhookDispatcher : public RegistryObserver {
 public:
  WebhookDispatcher(WebhookStore& store, Clock& clock, Random& random,
                    WebhookDispatcherOptions options = {});
  // Stops the worker after the attempt in progress; unfinished deliveries stay pending.
  ~WebhookDispatcher() override;

  // Reloads pending deliveries from the store and starts the worker.
  absl::Status Start();
  // RegistryObserver: queues the event and returns.
  void OnRegistryEvent(const RegistryEvent& event) override;
  // Blocks until no event is queued and no delivery is waiting or in flight (tests).
  void WaitIdle();

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Scheduled {
    WebhookDelivery delivery;
    std::string url;
    std::string secret;
    int next_attempt = 1;
    TimePoint due;
  };

  void Loop();
  void FanOut(const RegistryEvent& event);
  // Makes one attempt; returns true to retry later.
  bool Attempt(Scheduled& s);
  void Schedule(Scheduled s);

  WebhookStore& store_;
  Clock& clock_;
  Random& random_;
  const WebhookDispatcherOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<RegistryEvent> events_ ABSL_GUARDED_BY(mu_);
  std::vector<Scheduled> scheduled_ ABSL_GUARDED_BY(mu_);  // sorted by due time
  bool busy_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ferry
