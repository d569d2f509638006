#include "serving/serving_metrics.h"

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
  return out;
}

}  // namespace ferry::serving
