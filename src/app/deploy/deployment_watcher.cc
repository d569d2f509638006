#include "app/deploy/deployment_watcher.h"

#include <algorithm>

#include "cli/mlflow/model_fetch.h"
#include "common/logging.h"
#include "common/strings.h"

namespace ferry::app {

bool FollowsAlias(const std::string& uri) {
  if (uri.rfind("models:/", 0) != 0) return false;
  auto ref = cli::ParseModelRef(uri);
  return ref.ok() && cli::RefMoves(*ref);
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
  const serving::ChallengerPolicy policy = PolicyOf(target);
  RETURN_IF_ERROR(manager_.SetChallenger(target.deployment, ref, policy, target.batching));
  // A percent set while the load ran did not reach the loaded canary: apply it now.
  std::lock_guard<std::mutex> lock(policy_mu_);
  auto it = canary_policy_.find(target.deployment);
  if (it == canary_policy_.end() || it->second.canary_percent == policy.canary_percent) {
    return absl::OkStatus();
  }
  return manager_.SetChallengerPolicy(target.deployment, it->second);
}

void DeploymentWatcher::NoteCanary(const WatchTarget& target) {
  if (!target.challenger || target.policy.mode != serving::ChallengerMode::kCanary) return;
  if (target.deployment.empty()) return;
  std::lock_guard<std::mutex> lock(policy_mu_);
  canary_policy_.try_emplace(target.deployment, target.policy);
}

serving::ChallengerPolicy DeploymentWatcher::PolicyOf(const WatchTarget& target) {
  std::lock_guard<std::mutex> lock(policy_mu_);
  auto it = canary_policy_.find(target.deployment);
  return it != canary_policy_.end() ? it->second : target.policy;
}

absl::StatusOr<std::string> DeploymentWatcher::Add(WatchTarget target) {
  std::lock_guard<std::mutex> lock(refresh_mu_);
  return AddLocked(std::move(target));
}

absl::StatusOr<std::string> DeploymentWatcher::AddLocked(WatchTarget target) {
  NoteCanary(target);
  absl::StatusOr<serving::VersionRef> resolved = resolver_(target.uri);
  if (!resolved.ok() && target.absent_ok && absl::IsNotFound(resolved.status()) &&
      !target.deployment.empty()) {
    watched_.push_back({target, ""});
    return target.deployment;
  }
  ASSIGN_OR_RETURN(serving::VersionRef ref, std::move(resolved));
  if (target.deployment.empty()) target.deployment = ref.name;
  RETURN_IF_ERROR(Load(target, ref));
  watched_.push_back({target, ref.version});
  return target.deployment;
}

absl::Status DeploymentWatcher::AddOrRetry(WatchTarget target) {
  std::lock_guard<std::mutex> lock(refresh_mu_);
  absl::StatusOr<std::string> added = AddLocked(target);
  if (added.ok()) return absl::OkStatus();
  Failed f{std::move(target), std::string(added.status().message()), 1, retry_initial_, {}};
  f.next_try = std::chrono::steady_clock::now() + f.backoff;
  LogWarn("deployment_failed", {{"uri", f.target.uri},
                                {"error", f.error},
                                {"retry_in_ms", std::to_string(f.backoff.count())}});
  failed_.push_back(std::move(f));
  Poke();  // the loop recomputes its wait
  return added.status();
}

void DeploymentWatcher::RetryFailed() {
  const auto now = std::chrono::steady_clock::now();
  const bool all = retry_now_.exchange(false);
  for (auto it = failed_.begin(); it != failed_.end();) {
    if (!all && it->next_try > now) {
      ++it;
      continue;
    }
    absl::StatusOr<std::string> added = AddLocked(it->target);
    if (added.ok()) {
      LogInfo("deployment_recovered",
              {{"uri", it->target.uri}, {"attempts", std::to_string(it->attempts + 1)}});
      it = failed_.erase(it);
      continue;
    }
    ++it->attempts;
    it->error = std::string(added.status().message());
    it->backoff = std::min(retry_max_, it->backoff * 2);
    it->next_try = now + it->backoff;
    LogWarn("deployment_failed", {{"uri", it->target.uri},
                                  {"error", it->error},
                                  {"attempts", std::to_string(it->attempts)},
                                  {"retry_in_ms", std::to_string(it->backoff.count())}});
    ++it;
  }
}

std::optional<std::chrono::milliseconds> DeploymentWatcher::NextWait() {
  std::optional<std::chrono::milliseconds> wait;
  if (interval_.count() > 0) wait = interval_;
  std::lock_guard<std::mutex> lock(refresh_mu_);
  const auto now = std::chrono::steady_clock::now();
  for (const Failed& f : failed_) {
    auto due = std::chrono::ceil<std::chrono::milliseconds>(f.next_try - now);
    due = std::max(due, std::chrono::milliseconds(0));
    if (!wait || due < *wait) wait = due;
  }
  return wait;
}

void DeploymentWatcher::RenderMetrics(std::string* out) {
  std::lock_guard<std::mutex> lock(refresh_mu_);
  if (watched_.empty() && failed_.empty()) return;
  auto label = [](const std::string& uri) {
    std::string v;
    for (char c : uri) {
      if (c == '\\' || c == '"') v += '\\';
      v += c == '\n' ? ' ' : c;
    }
    return v;
  };
  *out +=
      "# HELP ferry_deployment_ready 1 when the deployed reference is loaded, 0 while it "
      "fails and is retried\n# TYPE ferry_deployment_ready gauge\n";
  for (const Watched& w : watched_) {
    if (w.version.empty()) continue;  // an alias that is not set (no canary): nothing to load
    *out += "ferry_deployment_ready{reference=\"" + label(w.target.uri) + "\"} 1\n";
  }
  for (const Failed& f : failed_) {
    *out += "ferry_deployment_ready{reference=\"" + label(f.target.uri) + "\"} 0\n";
  }
  if (failed_.empty()) return;
  *out +=
      "# HELP ferry_deployment_load_attempts_total failed attempts to load a deployment\n"
      "# TYPE ferry_deployment_load_attempts_total counter\n";
  for (const Failed& f : failed_) {
    *out += "ferry_deployment_load_attempts_total{reference=\"" + label(f.target.uri) + "\"} " +
            std::to_string(f.attempts) + "\n";
  }
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

void DeploymentWatcher::OnRegistryChange() {
  retry_now_ = true;
  Poke();
}

void DeploymentWatcher::RefreshAll() {
  std::lock_guard<std::mutex> lock(refresh_mu_);
  RetryFailed();
  for (Watched& w : watched_) {
    if (FollowsAlias(w.target.uri)) Refresh(w);  // not a package path or a pinned version
  }
}

void DeploymentWatcher::Refresh(Watched& w) {
  auto ref = resolver_(w.target.uri);
  if (!ref.ok() && w.target.absent_ok && absl::IsNotFound(ref.status())) {
    if (w.version.empty()) return;
    absl::Status s = w.target.challenger ? manager_.ClearChallenger(w.target.deployment)
                                         : manager_.Remove(w.target.deployment);
    LogInfo("deployment_target_removed", {{"deployment", w.target.deployment},
                                          {"uri", w.target.uri},
                                          {"from", w.version},
                                          {"error", std::string(s.message())}});
    if (s.ok()) w.version.clear();
    return;
  }
  if (!ref.ok()) {
    LogWarn("deployment_refresh_failed", {{"deployment", w.target.deployment},
                                          {"uri", w.target.uri},
                                          {"error", std::string(ref.status().message())}});
    return;
  }
  if (ref->version == w.version) return;
  absl::Status s = Load(w.target, *ref);
  LogInfo(s.ok() ? "deployment_updated" : "deployment_update_failed",
          {{"deployment", w.target.deployment},
           {"from", w.version},
           {"to", ref->version},
           {"error", std::string(s.message())}});
  if (s.ok()) w.version = ref->version;
}

absl::Status DeploymentWatcher::SetCanaryPercent(const std::string& deployment, int percent) {
  if (percent < 0 || percent > 100) {
    return absl::InvalidArgumentError(
        StrCat("canary percent must be 0-100, got ", static_cast<int64_t>(percent)));
  }
  std::lock_guard<std::mutex> lock(policy_mu_);
  auto it = canary_policy_.find(deployment);
  if (it == canary_policy_.end()) {
    return absl::NotFoundError(StrCat("deployment \"", deployment, "\" has no canary target"));
  }
  it->second.canary_percent = percent;
  // No canary loaded (the alias is not set yet): the percent waits for the load.
  absl::Status s = manager_.SetChallengerPolicy(deployment, it->second);
  return absl::IsNotFound(s) ? absl::OkStatus() : s;
}

void DeploymentWatcher::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    const std::optional<std::chrono::milliseconds> wait = NextWait();
    lock.lock();
    if (wait) {
      cv_.wait_for(lock, *wait, [this] { return stop_ || poked_; });
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
