#pragma once
// The registry's background verifier: one thread takes pending model versions from a FIFO
// queue, calls VersionVerifier::Verify and stores READY or FAILED_REGISTRATION. Nothing runs on
// the request thread but Enqueue().
//
// Thread-safe. Versions still queued at shutdown stay PENDING_REGISTRATION in the store and
// are queued again by the next start (RegistryService::Start lists them).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "common/clock.h"
#include "registry/version_verifier.h"
#include "store/registry_store.h"

namespace ferry::registry {

class RegistrationWorker {
 public:
  // `on_done` is called (on the worker thread) with each version after its status is stored.
  RegistrationWorker(store::RegistryStore& store, VersionVerifier& verifier, Clock& clock,
                     std::function<void(const ModelVersion&)> on_done);
  // Finishes the verification in progress, then stops; queued versions stay pending.
  ~RegistrationWorker();

  // Queues version `version` of model `name` in `workspace`.
  void Enqueue(const std::string& workspace, const std::string& name, int64_t version);
  // Blocks until the queue is empty and no verification runs (for tests and shutdown).
  void WaitIdle();

 private:
  void Loop();
  struct Queued {
    std::string workspace;
    std::string name;
    int64_t version = 0;
  };
  void Process(const Queued& queued);

  store::RegistryStore& store_;
  VersionVerifier& verifier_;
  Clock& clock_;
  std::function<void(const ModelVersion&)> on_done_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Queued> queue_ ABSL_GUARDED_BY(mu_);
  bool busy_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: started after the fields above exist
};

}  // namespace ferry::registry
