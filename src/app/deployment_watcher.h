#pragma once
// Keeps served deployments on the versions their references name. A reference is resolved to
// a VersionRef (a local package, or models:/NAME@ALIAS | models:/NAME/V through the
// registry); alias references are re-resolved every `interval` and on Poke() (a registry
// webhook), and when the alias has moved the new version is loaded, warmed and swapped in
// by the ModelManager while the old one drains (automatic model update, seed 002).
//
// Thread-safe. Loads run on the caller's thread in Add and on the watcher thread afterwards.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/status.h"
#include "serving/model_manager.h"

namespace ferry::app {

// True for models:/NAME@ALIAS: the only references that can move.
bool FollowsAlias(const std::string& uri);

// Turns a reference into what to load. Errors name the reference.
using VersionResolver = std::function<absl::StatusOr<serving::VersionRef>(const std::string&)>;

struct WatchTarget {
  std::string deployment;  // empty: the resolved model name
  std::string uri;
  bool challenger = false;
  serving::ChallengerPolicy policy;  // challengers only
  serving::BatchingOptions batching;
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
  // Starts the refresh thread.
  void Start();
  // Asks for a refresh as soon as possible (from any thread; returns at once).
  void Poke();
  // One refresh pass on the calling thread (tests; the thread calls it too).
  void RefreshAll();

 private:
  struct Watched {
    WatchTarget target;
    std::string version;  // what is loaded
  };
  absl::Status Load(const WatchTarget& target, const serving::VersionRef& ref);
  void Loop();

  serving::ModelManager& manager_;
  VersionResolver resolver_;
  const std::chrono::milliseconds interval_;
  std::mutex refresh_mu_;  // one refresh at a time
  std::vector<Watched> watched_ ABSL_GUARDED_BY(refresh_mu_);
  std::mutex mu_;
  std::condition_variable cv_;
  bool poked_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ferry::app
