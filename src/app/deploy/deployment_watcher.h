#pragma once
// Keeps served deployments on the versions their references name. A reference is resolved to
// a VersionRef (a local package, or models:/NAME@ALIAS | models:/NAME/V through the
// registry); alias references are re-resolved every `interval` and on Poke() (a registry
// webhook), and when the alias has moved the new version is loaded, warmed and swapped in
// by the ModelManager while the old one drains (automatic model update, seed 002).
//
// A target that cannot be loaded at start (AddOrRetry) stays listed as failed and is retried
// with exponential backoff on the watcher thread until it loads.
//
// Thread-safe. Loads run on the caller's thread in Add and on the watcher thread afterwards.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/status.h"
#include "serving/model_manager.h"

namespace ferry::app {

// True for references that can move to another version: models:/NAME@ALIAS,
// models:/NAME/STAGE and models:/NAME/latest.
bool FollowsAlias(const std::string& uri);

// Turns a reference into what to load. Errors name the reference.
using VersionResolver = std::function<absl::StatusOr<serving::VersionRef>(const std::string&)>;

struct WatchTarget {
  std::string deployment;  // empty: the resolved model name
  std::string uri;
  bool challenger = false;
  serving::ChallengerPolicy policy;  // challengers only
  serving::BatchingOptions batching;
  // An alias that is not set (the resolver answers kNotFound) means "nothing to serve" rather
  // than a failure: a challenger following models:/NAME@challenger exists only while the
  // alias does, and is retired when the alias is deleted.
  bool absent_ok = false;
};

class DeploymentWatcher {
 public:
  // `manager` must outlive the watcher. interval <= 0: no polling (Poke still refreshes).
  DeploymentWatcher(serving::ModelManager& manager, VersionResolver resolver,
                    std::chrono::milliseconds interval);
  ~DeploymentWatcher();  // stops the thread

  // Resolves and loads `target` now; remembers it for refreshes. Returns the deployment name.
  // Add every primary before its challenger.
  absl::StatusOr<std::string> Add(WatchTarget target);
  // Add, and when that fails keeps `target` for retries (first after `retry_initial`,
  // doubling up to `retry_max`) and logs deployment_failed. Returns Add's status.
  absl::Status AddOrRetry(WatchTarget target);
  void set_retry_backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max) {
    retry_initial_ = initial;
    retry_max_ = max;
  }
  // Prometheus lines: ferry_deployment_ready{reference="..."} 1 (loaded) or 0 (failed, being
  // retried), and ferry_deployment_load_attempts_total for the failed ones.
  void RenderMetrics(std::string* out);
  // Sets the canary share of the challenger targets of `deployment`: kept for later loads
  // (the alias may not be set yet) and applied at once to a loaded canary. kInvalidArgument
  // outside 0..100, kNotFound when the deployment has no canary target.
  absl::Status SetCanaryPercent(const std::string& deployment, int percent);
  // Starts the refresh thread.
  void Start();
  // Asks for a refresh as soon as possible (from any thread; returns at once).
  void Poke();
  // The registry changed (an alias or stage moved): Poke, and in that refresh retry every
  // failed target at once, whatever its backoff, since its reference may now name a version
  // that loads.
  void OnRegistryChange();
  // One refresh pass on the calling thread (tests; the thread calls it too).
  void RefreshAll();

 private:
  struct Watched {
    WatchTarget target;
    std::string version;  // what is loaded; empty: an absent alias, nothing loaded
  };
  struct Failed {
    WatchTarget target;
    std::string error;
    int attempts = 0;
    std::chrono::milliseconds backoff{0};
    std::chrono::steady_clock::time_point next_try;
  };
  absl::Status Load(const WatchTarget& target, const serving::VersionRef& ref);
  // Remembers the policy of a canary target (by deployment) for SetCanaryPercent.
  void NoteCanary(const WatchTarget& target);
  serving::ChallengerPolicy PolicyOf(const WatchTarget& target);
  // Brings one watched target to what its reference resolves to now.
  void Refresh(Watched& w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  absl::StatusOr<std::string> AddLocked(WatchTarget target)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  void RetryFailed() ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  // How long the loop may sleep: the polling interval, or less when a retry is due.
  // nullopt: until poked.
  std::optional<std::chrono::milliseconds> NextWait();
  void Loop();

  serving::ModelManager& manager_;
  VersionResolver resolver_;
  const std::chrono::milliseconds interval_;
  std::mutex refresh_mu_;  // one refresh at a time
  std::vector<Watched> watched_ ABSL_GUARDED_BY(refresh_mu_);
  std::vector<Failed> failed_ ABSL_GUARDED_BY(refresh_mu_);
  // Canary policies by deployment, the percent as last set. Apart from refresh_mu_ so that
  // setting a percent never waits for a model load (it runs on a request's event loop).
  std::mutex policy_mu_;
  std::map<std::string, serving::ChallengerPolicy> canary_policy_ ABSL_GUARDED_BY(policy_mu_);
  std::chrono::milliseconds retry_initial_{1000};
  std::chrono::milliseconds retry_max_{60000};
  std::atomic<bool> retry_now_{false};  // set by OnRegistryChange, taken by RetryFailed
  std::mutex mu_;
  std::condition_variable cv_;
  bool poked_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ferry::app
