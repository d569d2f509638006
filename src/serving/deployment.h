#pragma once
// A deployment: one served name (the OIP model name) with a primary loaded version and
// optionally a challenger that takes a share of the traffic (canary) or a copy of it (shadow).
//
// A LoadedVersion owns its Predictor and its DynamicBatcher and is shared (shared_ptr) by the
// deployment and by every request that picked it, so an unloaded version lives until the last
// request holding it has submitted; Retire() then drains its batcher. Versions are immutable
// after Load except for their state.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "common/clock.h"
#include "common/status.h"
#include "runtime/predictor.h"
#include "serving/arm_stats.h"
#include "serving/dynamic_batcher.h"
#include "serving/inference_service.h"
#include "serving/serving_metrics.h"

namespace ferry::serving {

// What to load. `source` is opaque to serving (the loader interprets it); `family` names the
// model family ("logistic") for the OIP platform ("ferry_logistic") when the caller knows it
// before loading, empty otherwise (the loader may report it, see LoadedModel).
struct VersionRef {
  std::string name;     // registered model name
  std::string version;  // its version string, reported in results and metrics
  std::string source;
  std::string family;
};

// What a loader returns: the Predictor and, when only the loaded package tells it, the family
// (loader::LoadedPackage::family); it overrides VersionRef::family when not empty. Implicit
// from a PredictorPtr, so a loader returning StatusOr<PredictorPtr> fits VersionLoader too.
struct LoadedModel {
  LoadedModel(runtime::PredictorPtr p, std::string f = "",  // NOLINT: implicit on purpose
              std::string reason = "")
      : predictor(std::move(p)), family(std::move(f)), backend_reason(std::move(reason)) {}
  runtime::PredictorPtr predictor;
  std::string family;
  std::string backend_reason;  // why this backend serves it (MLflow models), or ""
};

// Loads a version's Predictor. Called on the thread that calls SetPrimary/SetChallenger.
using VersionLoader = std::function<absl::StatusOr<LoadedModel>(const VersionRef&)>;

// Inputs for a warm-up batch: one row (free dims 1), zeros for numeric and BOOL inputs, ""
// for BYTES.
std::vector<Tensor> WarmupInputs(const ModelSchema& schema);

class LoadedVersion {
 public:
  // LOADING -> loader -> one warm-up batch -> batcher started -> READY. An error from the
  // loader or the warm-up is returned (prefixed with the version) and leaves nothing loaded.
  static absl::StatusOr<std::shared_ptr<LoadedVersion>> Load(const std::string& deployment,
                                                             const VersionRef& ref,
                                                             const VersionLoader& loader,
                                                             BatchingOptions batching, Clock& clock,
                                                             ServingMetrics& metrics);
  // Drains (if Retire was not called) and destroys the Predictor; state UNAVAILABLE.
  ~LoadedVersion();
  LoadedVersion(const LoadedVersion&) = delete;
  LoadedVersion& operator=(const LoadedVersion&) = delete;

  // UNLOADING, then runs every request already queued. Requests submitted afterwards by
  // callers still holding this version run inline, so none fails. Blocks; not on a worker.
  void Retire();

  const std::string& deployment() const { return deployment_; }
  const VersionRef& ref() const { return ref_; }
  const std::string& version() const { return ref_.version; }
  // "ferry_<family>", or "ferry" when the family is unknown.
  std::string platform() const;
  const std::string& backend_reason() const { return backend_reason_; }
  const ModelSchema& schema() const { return predictor_->schema(); }
  // READY only while the predictor can answer (a Python model with no live worker is
  // UNAVAILABLE until one is back).
  ModelState state() const;
  DynamicBatcher& batcher() { return *batcher_; }
  VersionMetrics& metrics() { return *metrics_; }
  const std::shared_ptr<VersionMetrics>& metrics_ptr() const { return metrics_; }
  // What this loaded instance served since it was loaded (fresh for every load).
  const std::shared_ptr<ArmCounters>& arm() const { return arm_; }

 private:
  LoadedVersion(std::string deployment, VersionRef ref, std::shared_ptr<VersionMetrics> metrics);
  void SetState(ModelState s);

  const std::string deployment_;
  VersionRef ref_;              // family filled in from the loader's answer; const after Load
  std::string backend_reason_;  // from the loader's answer; const after Load
  std::shared_ptr<VersionMetrics> metrics_;
  std::shared_ptr<ArmCounters> arm_;
  runtime::PredictorPtr predictor_;
  std::unique_ptr<DynamicBatcher> batcher_;  // declared after predictor_: destroyed first
  std::atomic<ModelState> state_{ModelState::kUnknown};
};
using LoadedVersionPtr = std::shared_ptr<LoadedVersion>;

// The two arms of a deployment.
enum class Arm { kPrimary, kChallenger };
std::string_view ArmName(Arm arm);  // "primary", "challenger"

// A load that failed (the loader's or the warm-up's error). A deployment keeps it until a load
// of the same arm succeeds, so that the API can say why the deployment is not, or not yet, on
// the version its reference names (Triton's model state reason).
struct LoadFailure {
  Arm arm = Arm::kPrimary;
  std::string version;  // the version that did not load
  std::string message;  // the error, naming the version
  int64_t at_ms = 0;    // wall clock
};

enum class ChallengerMode { kCanary, kShadow };
struct ChallengerPolicy {
  ChallengerMode mode = ChallengerMode::kCanary;
  int canary_percent = 0;  // kCanary: share of requests (0-100) sent to the challenger
};

// Where one request goes.
struct Route {
  LoadedVersionPtr target;  // answers the client
  Role role = Role::kPrimary;
  LoadedVersionPtr shadow;  // also runs the request, result only recorded; may be null
};

// Thread-safe. Route/Find copy shared_ptrs under a short mutex; the setters swap them.
class Deployment {
 public:
  explicit Deployment(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }

  // Picks the version for a request without an explicit version. kUnavailable if no primary.
  absl::StatusOr<Route> Pick(Random& random) const;
  // The loaded version (primary or challenger) with this version string, or nullptr.
  // Primary wins when both carry the same string.
  LoadedVersionPtr Find(std::string_view version) const;
  LoadedVersionPtr primary() const;
  LoadedVersionPtr challenger() const;
  ChallengerPolicy policy() const;

  // Install a version and return the one it replaces (to be retired by the caller).
  LoadedVersionPtr SwapPrimary(LoadedVersionPtr v);
  LoadedVersionPtr SwapChallenger(LoadedVersionPtr v, ChallengerPolicy policy);
  void SetPolicy(ChallengerPolicy policy);

  // The latest failed load of either arm not followed by a successful load of that arm.
  std::optional<LoadFailure> last_failure() const;
  // Records `failure` for its arm.
  void SetFailure(LoadFailure failure);
  // Forgets `arm`'s failed load (that arm loaded, or no longer exists).
  void ClearFailure(Arm arm);
  // kUnavailable "model "NAME" has no version loaded", followed by the primary's failed load
  // when there is one: why a request finds nothing to run on.
  absl::Status NotLoaded() const;

  // Serialises loads of this deployment (held by ModelManager across load + swap).
  std::mutex& control_mutex() { return control_mu_; }

 private:
  const std::string name_;
  std::mutex control_mu_;
  mutable std::mutex mu_;
  LoadedVersionPtr primary_ ABSL_GUARDED_BY(mu_);
  LoadedVersionPtr challenger_ ABSL_GUARDED_BY(mu_);
  ChallengerPolicy policy_ ABSL_GUARDED_BY(mu_);
  std::optional<LoadFailure> failures_[2] ABSL_GUARDED_BY(mu_);  // by Arm
  Arm newest_failure_ ABSL_GUARDED_BY(mu_) = Arm::kPrimary;
};
using DeploymentPtr = std::shared_ptr<Deployment>;

}  // namespace ferry::serving
