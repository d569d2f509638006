#include "serving/deployment.h"

#include <utility>

namespace ferry::serving {

std::vector<Tensor> WarmupInputs(const ModelSchema& schema) {
  std::vector<Tensor> inputs;
  inputs.reserve(schema.inputs.size());
  for (const TensorSpec& spec : schema.inputs) {
    Tensor t;
    t.name = spec.name;
    t.datatype = spec.datatype;
    for (int64_t d : spec.shape) t.shape.push_back(d < 0 ? 1 : d);
    const int64_t n = t.ElementCount();
    if (t.datatype == DataType::kBytes) {
      t.strings.assign(n, "");
    } else {
      t.data.assign(n * DataTypeSize(t.datatype), '\0');
    }
    inputs.push_back(std::move(t));
  }
  return inputs;
}

LoadedVersion::LoadedVersion(std::string deployment, VersionRef ref,
                             std::shared_ptr<VersionMetrics> metrics)
    : deployment_(std::move(deployment)), ref_(std::move(ref)), metrics_(std::move(metrics)) {
  metrics_->instances_in_state[static_cast<int>(ModelState::kUnknown)].fetch_add(1);
}

absl::StatusOr<LoadedVersionPtr> LoadedVersion::Load(const std::string& deployment,
                                                     const VersionRef& ref,
                                                     const VersionLoader& loader,
                                                     BatchingOptions batching, Clock& clock,
                                                     ServingMetrics& metrics) {
  RETURN_IF_ERROR(ValidateBatchingOptions(batching));
  // Batch-size buckets up to 1024 rows while the model's own choice is not known yet.
  auto series =
      metrics.ForVersion(deployment, ref.version,
                         batching.max_batch_size == kAutoBatch ? 1024 : batching.max_batch_size);
  LoadedVersionPtr v(new LoadedVersion(deployment, ref, std::move(series)));
  v->arm_ = std::make_shared<ArmCounters>(clock.NowMillis());
  v->SetState(ModelState::kLoading);
  const std::string what = "loading version " + ref.version + " of \"" + deployment + "\": ";
  auto loaded = loader(ref);
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(), what + std::string(StatusMessage(loaded.status())));
  }
  if (loaded->predictor == nullptr) {
    return absl::InternalError(what + "the loader returned no model");
  }
  v->predictor_ = std::move(loaded->predictor);
  if (!loaded->family.empty()) v->ref_.family = std::move(loaded->family);
  v->backend_reason_ = std::move(loaded->backend_reason);
  std::vector<Tensor> outputs;
  absl::Status warm = v->predictor_->Predict(WarmupInputs(v->schema()), outputs);
  if (!warm.ok()) {
    return absl::Status(warm.code(), what + "warm-up failed: " + std::string(StatusMessage(warm)));
  }
  v->batcher_ = std::make_unique<DynamicBatcher>(
      *v->predictor_, ResolveBatching(batching, v->predictor_->Execution()), clock,
      v->metrics_.get());
  v->batcher_->Start();
  v->metrics_->AttachPool(v->predictor_.get());
  v->SetState(ModelState::kReady);
  return v;
}

LoadedVersion::~LoadedVersion() {
  if (batcher_) {
    SetState(ModelState::kUnloading);
    batcher_->Drain();
  }
  batcher_.reset();
  if (predictor_) metrics_->DetachPool(predictor_.get());
  predictor_.reset();
  SetState(ModelState::kUnavailable);
}

void LoadedVersion::Retire() {
  SetState(ModelState::kUnloading);
  if (batcher_) batcher_->Drain();
}

void LoadedVersion::SetState(ModelState s) {
  ModelState old = state_.exchange(s);
  metrics_->MoveInstance(old, s);
}

ModelState LoadedVersion::state() const {
  const ModelState s = state_.load();
  if (s == ModelState::kReady && !predictor_->Ready().ok()) return ModelState::kUnavailable;
  return s;
}

std::string LoadedVersion::platform() const {
  return ref_.family.empty() ? "ferry" : "ferry_" + ref_.family;
}

std::string_view ArmName(Arm arm) { return arm == Arm::kPrimary ? "primary" : "challenger"; }

absl::StatusOr<Route> Deployment::Pick(Random& random) const {
  Route route;
  ChallengerPolicy policy;
  LoadedVersionPtr challenger;
  {
    std::lock_guard<std::mutex> lock(mu_);
    route.target = primary_;
    challenger = challenger_;
    policy = policy_;
  }
  if (!route.target) return NotLoaded();
  if (!challenger) return route;
  if (policy.mode == ChallengerMode::kShadow) {
    route.shadow = std::move(challenger);
  } else if (policy.canary_percent > 0 &&
             static_cast<int>(random.Next64() % 100) < policy.canary_percent) {
    route.target = std::move(challenger);
    route.role = Role::kCanary;
  }
  return route;
}

LoadedVersionPtr Deployment::Find(std::string_view version) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (primary_ && primary_->version() == version) return primary_;
  if (challenger_ && challenger_->version() == version) return challenger_;
  return nullptr;
}

LoadedVersionPtr Deployment::primary() const {
  std::lock_guard<std::mutex> lock(mu_);
  return primary_;
}

LoadedVersionPtr Deployment::challenger() const {
  std::lock_guard<std::mutex> lock(mu_);
  return challenger_;
}

ChallengerPolicy Deployment::policy() const {
  std::lock_guard<std::mutex> lock(mu_);
  return policy_;
}

LoadedVersionPtr Deployment::SwapPrimary(LoadedVersionPtr v) {
  std::lock_guard<std::mutex> lock(mu_);
  std::swap(primary_, v);
  return v;
}

LoadedVersionPtr Deployment::SwapChallenger(LoadedVersionPtr v, ChallengerPolicy policy) {
  std::lock_guard<std::mutex> lock(mu_);
  std::swap(challenger_, v);
  policy_ = policy;
  return v;
}

void Deployment::SetPolicy(ChallengerPolicy policy) {
  std::lock_guard<std::mutex> lock(mu_);
  policy_ = policy;
}

std::optional<LoadFailure> Deployment::last_failure() const {
  std::lock_guard<std::mutex> lock(mu_);
  const int newest = static_cast<int>(newest_failure_);
  return failures_[newest] ? failures_[newest] : failures_[1 - newest];
}

void Deployment::SetFailure(LoadFailure failure) {
  std::lock_guard<std::mutex> lock(mu_);
  newest_failure_ = failure.arm;
  failures_[static_cast<int>(failure.arm)] = std::move(failure);
}

void Deployment::ClearFailure(Arm arm) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_[static_cast<int>(arm)].reset();
}

absl::Status Deployment::NotLoaded() const {
  std::string message = "model \"" + name_ + "\" has no version loaded";
  std::lock_guard<std::mutex> lock(mu_);
  if (const auto& failed = failures_[static_cast<int>(Arm::kPrimary)]) {
    message += ": " + failed->message;
  }
  return absl::UnavailableError(message);
}

}  // namespace ferry::serving
