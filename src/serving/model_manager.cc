#include "serving/model_manager.h"

#include <mutex>
#include <thread>
#include <utility>

namespace ferry::serving {
namespace {

absl::Status NoDeployment(std::string_view name) {
  return absl::NotFoundError("model \"" + std::string(name) + "\" not found");
}

}  // namespace

void ModelManager::RetireAndUnload(LoadedVersionPtr v) const {
  if (!v) return;
  v->Retire();
  // Requests that picked `v` before the swap hold it until their Infer returns; the last
  // would otherwise run the destructor on its event loop.
  const auto deadline = std::chrono::steady_clock::now() + unload_wait_;
  while (v.use_count() > 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

ModelManager::ModelManager(VersionLoader loader, Clock& clock, ServingMetrics& metrics)
    : loader_(std::move(loader)), clock_(clock), metrics_(metrics) {}

ModelManager::~ModelManager() {
  for (const DeploymentPtr& d : All()) {
    RetireAndUnload(d->SwapChallenger(nullptr, {}));
    RetireAndUnload(d->SwapPrimary(nullptr));
  }
}

DeploymentPtr ModelManager::FindOrCreate(const std::string& deployment) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  auto& slot = deployments_[deployment];
  if (!slot) slot = std::make_shared<Deployment>(deployment);
  return slot;
}

absl::Status ModelManager::Failed(const DeploymentPtr& d, Arm arm, const VersionRef& ref,
                                  absl::Status status) {
  if (d) d->SetFailure({arm, ref.version, std::string(StatusMessage(status)), clock_.NowMillis()});
  return status;
}

absl::Status ModelManager::SetPrimary(const std::string& deployment, const VersionRef& ref,
                                      BatchingOptions batching) {
  absl::StatusOr<LoadedVersionPtr> v =
      LoadedVersion::Load(deployment, ref, loader_, batching, clock_, metrics_);
  if (!v.ok()) return Failed(FindOrCreate(deployment), Arm::kPrimary, ref, v.status());
  metrics_.ForDeployment(deployment);
  for (;;) {
    DeploymentPtr d = FindOrCreate(deployment);
    std::lock_guard<std::mutex> control(d->control_mutex());
    // A concurrent Remove may have dropped this deployment between the lookup and the lock.
    if (Find(deployment) != d) continue;
    d->ClearFailure(Arm::kPrimary);
    RetireAndUnload(d->SwapPrimary(*std::move(v)));
    return absl::OkStatus();
  }
}

absl::Status ModelManager::SetChallenger(const std::string& deployment, const VersionRef& ref,
                                         ChallengerPolicy policy, BatchingOptions batching) {
  if (policy.canary_percent < 0 || policy.canary_percent > 100) {
    return absl::InvalidArgumentError("canary_percent must be between 0 and 100, got " +
                                      std::to_string(policy.canary_percent));
  }
  if (!Find(deployment)) return NoDeployment(deployment);
  absl::StatusOr<LoadedVersionPtr> v =
      LoadedVersion::Load(deployment, ref, loader_, batching, clock_, metrics_);
  DeploymentPtr d = Find(deployment);
  if (!v.ok()) return Failed(d, Arm::kChallenger, ref, v.status());
  if (!d) return NoDeployment(deployment);
  std::lock_guard<std::mutex> control(d->control_mutex());
  d->ClearFailure(Arm::kChallenger);
  RetireAndUnload(d->SwapChallenger(*std::move(v), policy));
  return absl::OkStatus();
}

absl::Status ModelManager::SetChallengerPolicy(const std::string& deployment,
                                               ChallengerPolicy policy) {
  if (policy.canary_percent < 0 || policy.canary_percent > 100) {
    return absl::InvalidArgumentError("canary_percent must be between 0 and 100, got " +
                                      std::to_string(policy.canary_percent));
  }
  DeploymentPtr d = Find(deployment);
  if (!d) return NoDeployment(deployment);
  if (!d->challenger()) {
    return absl::NotFoundError("model \"" + deployment + "\" has no challenger");
  }
  d->SetPolicy(policy);
  return absl::OkStatus();
}

absl::Status ModelManager::ClearChallenger(const std::string& deployment) {
  DeploymentPtr d = Find(deployment);
  if (!d) return NoDeployment(deployment);
  std::lock_guard<std::mutex> control(d->control_mutex());
  d->ClearFailure(Arm::kChallenger);
  RetireAndUnload(d->SwapChallenger(nullptr, {}));
  return absl::OkStatus();
}

absl::Status ModelManager::Remove(const std::string& deployment) {
  DeploymentPtr d;
  {
    std::unique_lock<std::shared_mutex> lock(mu_);
    auto it = deployments_.find(deployment);
    if (it == deployments_.end()) return NoDeployment(deployment);
    d = std::move(it->second);
    deployments_.erase(it);
  }
  std::lock_guard<std::mutex> control(d->control_mutex());
  RetireAndUnload(d->SwapChallenger(nullptr, {}));
  RetireAndUnload(d->SwapPrimary(nullptr));
  return absl::OkStatus();
}

DeploymentPtr ModelManager::Find(std::string_view deployment) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto it = deployments_.find(deployment);
  return it == deployments_.end() ? nullptr : it->second;
}

std::vector<std::string> ModelManager::Names() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  std::vector<std::string> names;
  names.reserve(deployments_.size());
  for (const auto& [name, d] : deployments_) names.push_back(name);
  return names;
}

std::vector<DeploymentPtr> ModelManager::All() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  std::vector<DeploymentPtr> all;
  all.reserve(deployments_.size());
  for (const auto& [name, d] : deployments_) all.push_back(d);
  return all;
}

}  // namespace ferry::serving
