#pragma once
// The set of deployments and their loaded versions (Triton's model repository manager).
//
// Loading: SetPrimary/SetChallenger load the new version (LOADING, loader, warm-up, READY)
// before touching the deployment, so a failed load leaves the old version serving. The swap is
// atomic for requests: each request picks the primary once and keeps that version for its
// whole life. The replaced version goes UNLOADING, runs every request already queued or
// running, and is destroyed (UNAVAILABLE) when the last request holding it lets go; the
// setter returns after the drain, so zero requests fail across a swap. The setter waits for
// those last requests (at most unload_wait) and destroys the version itself: a request's
// thread is an event loop, and unloading a Python model waits for its worker processes.
//
// Thread-safe. Loads of one deployment are serialised; different deployments load in
// parallel. Loads run on the calling thread (the loader may take seconds): never call the
// setters on an event-loop thread.

#include <chrono>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/clock.h"
#include "common/status.h"
#include "serving/deployment.h"
#include "serving/serving_metrics.h"

namespace ferry::serving {

class ModelManager {
 public:
  // `loader`, `clock` and `metrics` must outlive the manager.
  ModelManager(VersionLoader loader, Clock& clock, ServingMetrics& metrics);
  ~ModelManager();  // retires every version
  ModelManager(const ModelManager&) = delete;
  ModelManager& operator=(const ModelManager&) = delete;

  // Loads `ref` and makes it the primary of `deployment` (created if new) with `batching`.
  // On error (the loader's code, or the warm-up's, with the version named) the primary does
  // not change; the error is recorded as the deployment's primary LoadFailure (the deployment
  // is created, with no version, if it did not exist), and cleared by the next load that works.
  absl::Status SetPrimary(const std::string& deployment, const VersionRef& ref,
                          BatchingOptions batching = {});
  // Loads `ref` as the challenger. kNotFound if the deployment does not exist; kInvalidArgument
  // for canary_percent outside 0..100. Replaces (and retires) a previous challenger. A failed
  // load is recorded as the challenger's LoadFailure, as for SetPrimary.
  absl::Status SetChallenger(const std::string& deployment, const VersionRef& ref,
                             ChallengerPolicy policy, BatchingOptions batching = {});
  // Changes the policy of the existing challenger (kNotFound when there is none).
  absl::Status SetChallengerPolicy(const std::string& deployment, ChallengerPolicy policy);
  // Retires the challenger (and forgets its failed load); OK if there was none. kNotFound if no
  // such deployment.
  absl::Status ClearChallenger(const std::string& deployment);
  // Removes the deployment and retires its versions. kNotFound if no such deployment.
  absl::Status Remove(const std::string& deployment);
  // How long retiring a version waits for the requests still running on it before the last
  // of them is left to destroy it (default 30 s). Set before use.
  void set_unload_wait(std::chrono::milliseconds wait) { unload_wait_ = wait; }

  // nullptr if no such deployment.
  DeploymentPtr Find(std::string_view deployment) const;
  // Names, sorted.
  std::vector<std::string> Names() const;
  std::vector<DeploymentPtr> All() const;

 private:
  DeploymentPtr FindOrCreate(const std::string& deployment);
  // Retires `v` (if not null) and destroys it on this thread once no request holds it, waiting
  // at most unload_wait_.
  void RetireAndUnload(LoadedVersionPtr v) const;
  // Records `status` as `arm`'s failed load of `ref` on `d` (if not null); returns `status`.
  absl::Status Failed(const DeploymentPtr& d, Arm arm, const VersionRef& ref, absl::Status status);

  VersionLoader loader_;
  Clock& clock_;
  ServingMetrics& metrics_;
  std::chrono::milliseconds unload_wait_{30000};
  mutable std::shared_mutex mu_;
  std::map<std::string, DeploymentPtr, std::less<>> deployments_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::serving
