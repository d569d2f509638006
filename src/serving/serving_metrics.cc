#include "serving/serving_metrics.h"

#include <algorithm>

namespace ferry::serving {
namespace {

std::string Labels(std::initializer_list<std::pair<std::string_view, std::string_view>> kv) {
  std::string out;
  for (const auto& [k, v] : kv) {
    if (!out.empty()) out += ',';
    out.append(k).append("=\"").append(EscapeLabelValue(v)).append("\"");
  }
  return out;
}

std::string VersionLabels(const VersionMetrics& m) {
  return Labels({{"model", m.model}, {"version", m.version}});
}

}  // namespace

std::vector<int64_t> BatchSizeBuckets(int max_batch_size) {
  std::vector<int64_t> b = {1};
  while (b.back() < max_batch_size) b.push_back(b.back() * 2);
  return b;
}

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kPrimary:
      return "primary";
    case Role::kCanary:
      return "canary";
    case Role::kShadow:
      return "shadow";
    case Role::kDirect:
      return "direct";
  }
  return "unknown";
}

VersionMetrics::VersionMetrics(std::string model, std::string version, int max_batch_size)
    : model(std::move(model)),
      version(std::move(version)),
      queue_us(LatencyBucketsMicros(), 1e6),
      compute_us(LatencyBucketsMicros(), 1e6),
      request_us(LatencyBucketsMicros(), 1e6),
      batch_size(BatchSizeBuckets(max_batch_size), 1) {}

namespace {

void Add(runtime::WorkerPoolStats& sum, const runtime::WorkerPoolStats& s) {
  sum.live_workers += s.live_workers;
  sum.workers += s.workers;
  sum.restarts += s.restarts;
  sum.requests += s.requests;
  sum.failures += s.failures;
  sum.queue_us += s.queue_us;
  sum.ipc_us += s.ipc_us;
  sum.worker_us += s.worker_us;
}

}  // namespace

void VersionMetrics::AttachPool(const runtime::Predictor* predictor) {
  if (!predictor->PoolStats()) return;
  std::lock_guard<std::mutex> lock(pool_mu_);
  pools_.push_back(predictor);
  if (!detached_) detached_.emplace();
}

void VersionMetrics::DetachPool(const runtime::Predictor* predictor) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  auto it = std::find(pools_.begin(), pools_.end(), predictor);
  if (it == pools_.end()) return;
  runtime::WorkerPoolStats last = *predictor->PoolStats();
  last.live_workers = 0;  // gauges of an unloaded instance count for nothing
  last.workers = 0;
  Add(*detached_, last);
  pools_.erase(it);
}

std::optional<runtime::WorkerPoolStats> VersionMetrics::PoolStats() const {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (!detached_) return std::nullopt;
  runtime::WorkerPoolStats sum = *detached_;
  for (const runtime::Predictor* p : pools_) Add(sum, *p->PoolStats());
  return sum;
}

DeploymentMetrics::DeploymentMetrics(std::string model)
    : model(std::move(model)), serialize_us(LatencyBucketsMicros(), 1e6) {}

std::shared_ptr<VersionMetrics> ServingMetrics::ForVersion(const std::string& model,
                                                           const std::string& version,
                                                           int max_batch_size) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = versions_[{model, version}];
  if (!slot) slot = std::make_shared<VersionMetrics>(model, version, max_batch_size);
  return slot;
}

std::shared_ptr<DeploymentMetrics> ServingMetrics::ForDeployment(const std::string& model) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = deployments_[model];
  if (!slot) slot = std::make_shared<DeploymentMetrics>(model);
  return slot;
}

std::shared_ptr<DeploymentMetrics> ServingMetrics::FindDeployment(const std::string& model) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = deployments_.find(model);
  return it == deployments_.end() ? nullptr : it->second;
}

std::string ServingMetrics::Render() const {
  std::vector<std::shared_ptr<VersionMetrics>> versions;
  std::vector<std::shared_ptr<DeploymentMetrics>> deployments;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, m] : versions_) versions.push_back(m);
    for (const auto& [key, m] : deployments_) deployments.push_back(m);
  }
  std::string out;
  AppendMetricHeader(&out, "ferry_inference_requests_total", "counter",
                     "Inference requests received, by the role the version played.");
  for (const auto& m : versions) {
    for (int r = 0; r < kRoleCount; ++r) {
      uint64_t n = m->requests[r].load(std::memory_order_relaxed);
      if (n == 0) continue;
      AppendSample(&out, "ferry_inference_requests_total",
                   Labels({{"model", m->model},
                           {"version", m->version},
                           {"role", RoleName(static_cast<Role>(r))}}),
                   std::to_string(n));
    }
  }
  AppendMetricHeader(&out, "ferry_inference_errors_total", "counter",
                     "Inference requests that failed, by status code.");
  for (const auto& m : versions) {
    for (int c = 0; c < static_cast<int>(m->errors.size()); ++c) {
      uint64_t n = m->errors[c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      std::string code = absl::StatusCodeToString(static_cast<absl::StatusCode>(c));
      AppendSample(&out, "ferry_inference_errors_total",
                   Labels({{"model", m->model}, {"version", m->version}, {"code", code}}),
                   std::to_string(n));
    }
  }
  struct HistogramFamily {
    const char* name;
    const char* help;
    Histogram VersionMetrics::*member;
  };
  static const HistogramFamily kFamilies[] = {
      {"ferry_inference_queue_seconds", "Time a request waited in the batch queue.",
       &VersionMetrics::queue_us},
      {"ferry_inference_compute_seconds", "Time the model took on the request's batch.",
       &VersionMetrics::compute_us},
      {"ferry_inference_request_seconds", "Time from receiving a request to its result.",
       &VersionMetrics::request_us},
      {"ferry_batch_size", "Rows in each batch the model ran.", &VersionMetrics::batch_size},
  };
  for (const auto& f : kFamilies) {
    AppendMetricHeader(&out, f.name, "histogram", f.help);
    for (const auto& m : versions) ((*m).*(f.member)).Render(f.name, VersionLabels(*m), &out);
  }
  AppendMetricHeader(&out, "ferry_inference_serialize_seconds", "histogram",
                     "Time the HTTP layer took to encode a response.");
  for (const auto& d : deployments) {
    d->serialize_us.Render("ferry_inference_serialize_seconds", Labels({{"model", d->model}}),
                           &out);
  }
  AppendMetricHeader(&out, "ferry_queue_depth", "gauge", "Requests waiting in the batch queue.");
  for (const auto& m : versions) {
    AppendSample(&out, "ferry_queue_depth", VersionLabels(*m),
                 std::to_string(m->queue_depth.load(std::memory_order_relaxed)));
  }
  AppendMetricHeader(&out, "ferry_model_loaded", "gauge",
                     "Loaded instances of each version, labelled with their state.");
  for (const auto& m : versions) {
    for (ModelState state : {ModelState::kLoading, ModelState::kReady, ModelState::kUnloading}) {
      int n = m->instances_in_state[static_cast<int>(state)].load(std::memory_order_relaxed);
      if (n <= 0) continue;
      AppendSample(
          &out, "ferry_model_loaded",
          Labels({{"model", m->model}, {"version", m->version}, {"state", ModelStateName(state)}}),
          std::to_string(n));
    }
  }
  RenderPools(versions, &out);
  return out;
}

void ServingMetrics::RenderPools(const std::vector<std::shared_ptr<VersionMetrics>>& versions,
                                 std::string* out) {
  std::vector<std::pair<const VersionMetrics*, runtime::WorkerPoolStats>> pools;
  for (const auto& m : versions) {
    if (auto s = m->PoolStats()) pools.emplace_back(m.get(), *s);
  }
  if (pools.empty()) return;
  AppendMetricHeader(out, "ferry_python_workers", "gauge",
                     "Live Python worker processes of the loaded instances of each version.");
  for (const auto& [m, s] : pools) {
    AppendSample(out, "ferry_python_workers", VersionLabels(*m), std::to_string(s.live_workers));
  }
  AppendMetricHeader(out, "ferry_python_worker_restarts_total", "counter",
                     "Python workers started again after one died or overran its deadline.");
  for (const auto& [m, s] : pools) {
    AppendSample(out, "ferry_python_worker_restarts_total", VersionLabels(*m),
                 std::to_string(s.restarts));
  }
  AppendMetricHeader(out, "ferry_python_seconds_total", "counter",
                     "Time of requests to Python workers: waiting for a free worker (queue), "
                     "encoding, transfer and decoding (ipc), inside the worker (python).");
  for (const auto& [m, s] : pools) {
    const std::pair<std::string_view, int64_t> phases[] = {
        {"queue", s.queue_us}, {"ipc", s.ipc_us}, {"python", s.worker_us}};
    for (const auto& [phase, us] : phases) {
      AppendSample(out, "ferry_python_seconds_total",
                   Labels({{"model", m->model}, {"version", m->version}, {"phase", phase}}),
                   FormatDouble(static_cast<double>(us) / 1e6));
    }
  }
}

}  // namespace ferry::serving
