#include "registry/registration_worker.h"

#include "common/logging.h"

namespace ferry::registry {

RegistrationWorker::RegistrationWorker(store::RegistryStore& store, VersionVerifier& verifier,
                                       Clock& clock,
                                       std::function<void(const ModelVersion&)> on_done)
    : store_(store),
      verifier_(verifier),
      clock_(clock),
      on_done_(std::move(on_done)),
      thread_([this] { Loop(); }) {}

RegistrationWorker::~RegistrationWorker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void RegistrationWorker::Enqueue(const std::string& workspace, const std::string& name,
                                 int64_t version) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back({workspace, name, version});
  }
  cv_.notify_all();
}

void RegistrationWorker::WaitIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stop_ || (queue_.empty() && !busy_); });
}

void RegistrationWorker::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    Queued queued = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    Process(queued);
    lock.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

namespace {

// A store error leaves the version pending: the next start queues it again.
void LeftPending(const std::string& name, int64_t version, const absl::Status& error) {
  LogWarn("model version status not stored", {{"name", name},
                                              {"version", std::to_string(version)},
                                              {"error", std::string(error.message())}});
}

}  // namespace

void RegistrationWorker::Process(const Queued& queued) {
  const std::string& name = queued.name;
  const int64_t version = queued.version;
  absl::StatusOr<ModelVersion> v = store_.GetModelVersion(queued.workspace, name, version);
  if (!v.ok() || v->status != ModelVersionStatus::kPendingRegistration) return;  // deleted/done
  std::vector<ModelVersionTag> found;
  absl::Status verified = verifier_.Verify(*v, &found);
  // The verifier's findings go in before READY, so whoever sees READY sees them.
  if (!verified.ok()) found.clear();
  for (const ModelVersionTag& tag : found) {
    absl::Status stored = store_.SetModelVersionTag(queued.workspace, name, version, tag);
    if (!stored.ok()) return LeftPending(name, version, stored);
  }
  ModelVersionStatus status =
      verified.ok() ? ModelVersionStatus::kReady : ModelVersionStatus::kFailedRegistration;
  absl::StatusOr<ModelVersion> updated =
      store_.SetModelVersionStatus(*v, status, std::string(verified.message()), clock_.NowMillis());
  if (!updated.ok()) return LeftPending(name, version, updated.status());
  LogInfo("model version verified", {{"name", name},
                                     {"version", std::to_string(version)},
                                     {"status", ModelVersionStatusName(status)}});
  if (on_done_) on_done_(*updated);
}

}  // namespace ferry::registry
