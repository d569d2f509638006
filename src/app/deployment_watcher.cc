#include "app/deployment_watcher.h"

#include "common/logging.h"

namespace ferry::app {

bool FollowsAlias(const std::string& uri) {
  return uri.rfind("models:/", 0) == 0 && uri.find('@') != std::string::npos;
}

DeploymentWatcher::DeploymentWatcher(serving::ModelManager& manager, VersionResolver resolver,
                                     std::chrono::milliseconds interval)
    : manager_(manager), resolver_(std::move(resolver)), interval_(interval) {}

DeploymentWatcher::~DeploymentWatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

absl::Status DeploymentWatcher::Load(const WatchTarget& target, const serving::VersionRef& ref) {
  if (!target.challenger) return manager_.SetPrimary(target.deployment, ref, target.batching);
  return manager_.SetChallenger(target.deployment, ref, target.policy, target.batching);
}

absl::StatusOr<std::string> DeploymentWatcher::Add(WatchTarget target) {
  ASSIGN_OR_RETURN(serving::VersionRef ref, resolver_(target.uri));
  if (target.deployment.empty()) target.deployment = ref.name;
  RETURN_IF_ERROR(Load(target, ref));
  std::lock_guard<std::mutex> lock(refresh_mu_);
  watched_.push_back({target, ref.version});
  return target.deployment;
}

void DeploymentWatcher::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void DeploymentWatcher::Poke() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

void DeploymentWatcher::RefreshAll() {
  std::lock_guard<std::mutex> lock(refresh_mu_);
  for (Watched& w : watched_) {
    if (!FollowsAlias(w.target.uri)) continue;  // a package path or a pinned version
    auto ref = resolver_(w.target.uri);
    if (!ref.ok()) {
      LogWarn("deployment_refresh_failed", {{"deployment", w.target.deployment},
                                            {"uri", w.target.uri},
                                            {"error", std::string(ref.status().message())}});
      continue;
    }
    if (ref->version == w.version) continue;
    absl::Status s = Load(w.target, *ref);
    LogInfo(s.ok() ? "deployment_updated" : "deployment_update_failed",
            {{"deployment", w.target.deployment},
             {"from", w.version},
             {"to", ref->version},
             {"error", std::string(s.message())}});
    if (s.ok()) w.version = ref->version;
  }
}

void DeploymentWatcher::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (interval_.count() > 0) {
      cv_.wait_for(lock, interval_, [this] { return stop_ || poked_; });
    } else {
      cv_.wait(lock, [this] { return stop_ || poked_; });
    }
    if (stop_) break;
    poked_ = false;
    lock.unlock();
    RefreshAll();
    lock.lock();
  }
}

}  // namespace ferry::app
