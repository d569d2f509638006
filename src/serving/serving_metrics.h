#pragma once
// Prometheus metrics of the serving path (text exposition format 0.0.4).
//
// Series are registered once per loaded version (ForVersion) and per deployment
// (ForDeployment); the request path then only touches atomics through the returned pointers,
// never a string-keyed map. A series stays registered for the life of the ServingMetrics, so a
// counter keeps counting across an unload and a reload of the same version (Prometheus
// counters must not go back), while ferry_model_loaded only reports versions that are loaded.
//
// Thread-safe: Record*/Observe use relaxed atomics; registration and Render take a mutex.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/prometheus.h"
#include "common/status.h"
#include "runtime/predictor.h"
#include "serving/inference_service.h"

namespace ferry::serving {

// The exposition helpers live in common/prometheus.h; these names keep serving's API.
using ::ferry::AppendMetricHeader;
using ::ferry::EscapeLabelValue;
using ::ferry::Histogram;
using ::ferry::LatencyBucketsMicros;

// 1, 2, 4, ... up to the first power of two >= max_batch_size (at least {1}).
std::vector<int64_t> BatchSizeBuckets(int max_batch_size);

// The role a request played, as used in labels and in PredictionRecord::role.
enum class Role { kPrimary, kCanary, kShadow, kDirect };
inline constexpr int kRoleCount = 4;
// "primary", "canary", "shadow", "direct" (an explicit version in the request).
std::string_view RoleName(Role r);

// The series of one loaded version.
struct VersionMetrics {
  VersionMetrics(std::string model, std::string version, int max_batch_size);
  void RecordRequest(Role role) {
    requests[static_cast<int>(role)].fetch_add(1, std::memory_order_relaxed);
  }
  void RecordError(absl::StatusCode code) {
    errors[static_cast<int>(code) & 31].fetch_add(1, std::memory_order_relaxed);
  }

  const std::string model;
  const std::string version;
  std::array<std::atomic<uint64_t>, kRoleCount> requests{};
  std::array<std::atomic<uint64_t>, 32> errors{};  // by absl::StatusCode
  Histogram queue_us;
  Histogram compute_us;
  Histogram request_us;
  Histogram batch_size;
  std::atomic<int64_t> queue_depth{0};
  // Loaded instances of this version in each ModelState (two while a version is reloaded, or
  // when primary and challenger carry the same version string).
  std::array<std::atomic<int>, 5> instances_in_state{};
  void MoveInstance(ModelState from, ModelState to) {
    instances_in_state[static_cast<int>(from)].fetch_sub(1, std::memory_order_relaxed);
    instances_in_state[static_cast<int>(to)].fetch_add(1, std::memory_order_relaxed);
  }

  // The worker pools (Python models) of this version's loaded instances. A loaded instance
  // attaches its Predictor when it has PoolStats(), and detaches it before destroying it;
  // its final counts stay behind, so the counters never go back across a reload.
  void AttachPool(const runtime::Predictor* predictor);
  void DetachPool(const runtime::Predictor* predictor);
  // The sum over attached and detached pools; nullopt when this version never had one.
  std::optional<runtime::WorkerPoolStats> PoolStats() const;

 private:
  mutable std::mutex pool_mu_;
  std::vector<const runtime::Predictor*> pools_ ABSL_GUARDED_BY(pool_mu_);
  std::optional<runtime::WorkerPoolStats> detached_ ABSL_GUARDED_BY(pool_mu_);
};

// The series of one deployment (what is only known by model name).
struct DeploymentMetrics {
  explicit DeploymentMetrics(std::string model);
  const std::string model;
  Histogram serialize_us;
};

class ServingMetrics {
 public:
  ServingMetrics() = default;
  ServingMetrics(const ServingMetrics&) = delete;
  ServingMetrics& operator=(const ServingMetrics&) = delete;

  // The series of (model, version), created on first use. The batch-size buckets are fixed by
  // the first registration. The pointer stays valid as long as this object.
  std::shared_ptr<VersionMetrics> ForVersion(const std::string& model, const std::string& version,
                                             int max_batch_size);
  std::shared_ptr<DeploymentMetrics> ForDeployment(const std::string& model);
  // The deployment series if registered, else nullptr (no series for unknown names).
  std::shared_ptr<DeploymentMetrics> FindDeployment(const std::string& model) const;

  // Every metric family, HELP and TYPE first, series sorted by labels.
  std::string Render() const;

 private:
  // The ferry_python_* families, for versions that have had a worker pool.
  static void RenderPools(const std::vector<std::shared_ptr<VersionMetrics>>& versions,
                          std::string* out);

  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<VersionMetrics>> versions_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::shared_ptr<DeploymentMetrics>> deployments_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::serving
