#include "serving/serving_service.h"

#include <utility>

#include "core/model_schema.h"

namespace ferry::serving {

// What a request's callbacks need after submission. They hold no LoadedVersion: a version
// must never be destroyed on its own batcher's worker thread.
struct ServingService::Call {
  std::string deployment;
  std::string request_id;
  int64_t start_ns = 0;
  std::vector<size_t> outputs;  // schema indices to return
  InferCallback done;
};

// The version a callback reports on.
struct ServingService::Target {
  std::shared_ptr<VersionMetrics> metrics;
  std::shared_ptr<ArmCounters> arm;
  std::string model_name;
  std::string version;
  Role role;
};

ServingService::Target ServingService::TargetOf(const LoadedVersion& v, Role role) {
  // Requests that name a version do not count in its arm's figures (what canary promotion
  // judges): a client could otherwise push a challenger into rollback, or past min_requests,
  // at will. They still count in the version's Prometheus series.
  static const std::shared_ptr<ArmCounters> discarded = std::make_shared<ArmCounters>(0);
  return Target{v.metrics_ptr(), role == Role::kDirect ? discarded : v.arm(), v.ref().name,
                v.version(), role};
}

// The model name an answer carries: a canary answers with its own name (and version), the
// primary with the deployment's name.
std::string ServingService::AnsweringName(const Call& call, const Target& target) {
  return target.role == Role::kCanary && !target.model_name.empty() ? target.model_name
                                                                    : call.deployment;
}

namespace {

void Observe(VersionMetrics& m, ArmCounters& arm, const BatchResult& r, int64_t request_us) {
  if (!r.status.ok()) {
    m.RecordError(r.status.code());
    arm.RecordError();
  }
  arm.ObserveLatencyUs(request_us);
  m.queue_us.Observe(r.queue_us);
  if (r.status.ok()) m.compute_us.Observe(r.compute_us);
  m.request_us.Observe(request_us);
}

}  // namespace

absl::StatusOr<std::vector<size_t>> OutputIndices(const ModelSchema& schema,
                                                  const std::vector<std::string>& requested) {
  std::vector<size_t> indices;
  if (requested.empty()) {
    for (size_t i = 0; i < schema.outputs.size(); ++i) indices.push_back(i);
    return indices;
  }
  for (const std::string& name : requested) {
    size_t i = 0;
    while (i < schema.outputs.size() && schema.outputs[i].name != name) ++i;
    if (i == schema.outputs.size()) {
      return absl::InvalidArgumentError("unknown output \"" + name + "\"");
    }
    indices.push_back(i);
  }
  return indices;
}

std::vector<Tensor> InSchemaOrder(const ModelSchema& schema, std::vector<Tensor> inputs) {
  bool ordered = inputs.size() == schema.inputs.size();
  for (size_t i = 0; ordered && i < inputs.size(); ++i) {
    ordered = inputs[i].name == schema.inputs[i].name;
  }
  if (ordered) return inputs;
  std::vector<Tensor> out;
  out.reserve(schema.inputs.size());
  for (const TensorSpec& spec : schema.inputs) {
    for (Tensor& t : inputs) {
      if (t.name == spec.name) {
        out.push_back(std::move(t));
        break;
      }
    }
  }
  return out;
}

ServingService::ServingService(VersionLoader loader, Clock& clock, Random& random,
                               PredictionObserver* observer)
    : clock_(clock),
      random_(random),
      observer_(observer),
      manager_(std::move(loader), clock, metrics_) {}

ServingService::~ServingService() = default;

void ServingService::AddMetricsSource(std::function<void(std::string*)> source) {
  metric_sources_.push_back(std::move(source));
}

bool ServingService::Live() const { return true; }

bool ServingService::Ready() const {
  for (const DeploymentPtr& d : manager_.All()) {
    LoadedVersionPtr p = d->primary();
    if (!p || p->state() != ModelState::kReady) return false;
  }
  return true;
}

std::vector<std::string> ServingService::Models() const { return manager_.Names(); }

absl::StatusOr<ModelInfo> ServingService::Describe(std::string_view model,
                                                   std::string_view version) const {
  ASSIGN_OR_RETURN(Route route, Resolve(model, version));
  DeploymentPtr d = manager_.Find(model);
  ModelInfo info;
  info.name = std::string(model);
  if (LoadedVersionPtr p = d ? d->primary() : nullptr) info.versions.push_back(p->version());
  if (LoadedVersionPtr c = d ? d->challenger() : nullptr) info.versions.push_back(c->version());
  info.platform = route.target->platform();
  info.backend_reason = route.target->backend_reason();
  info.schema = route.target->schema();
  info.state = route.target->state();
  return info;
}

absl::StatusOr<Route> ServingService::Resolve(std::string_view model,
                                              std::string_view version) const {
  DeploymentPtr d = manager_.Find(model);
  if (!d) return absl::NotFoundError("model \"" + std::string(model) + "\" not found");
  if (version.empty()) {
    Route route;
    route.target = d->primary();
    if (!route.target) return d->NotLoaded();
    return route;
  }
  Route route;
  route.target = d->Find(version);
  route.role = Role::kDirect;
  if (!route.target) {
    return absl::NotFoundError("model \"" + std::string(model) + "\" has no version \"" +
                               std::string(version) + "\" loaded");
  }
  return route;
}

void ServingService::Infer(std::string_view model, std::string_view version, InferRequest request,
                           InferCallback done) {
  const int64_t start_ns = clock_.MonotonicNanos();
  absl::StatusOr<Route> route;
  if (version.empty()) {
    DeploymentPtr d = manager_.Find(model);
    route = d ? d->Pick(random_)
              : absl::NotFoundError("model \"" + std::string(model) + "\" not found");
  } else {
    route = Resolve(model, version);
  }
  if (!route.ok()) {
    InferResult r;
    r.status = route.status();
    r.model_name = std::string(model);
    r.model_version = std::string(version);
    return done(std::move(r));
  }
  LoadedVersion& v = *route->target;
  Target target = TargetOf(v, route->role);
  target.metrics->RecordRequest(route->role);
  target.arm->RecordRequest();
  auto call = std::make_shared<Call>();
  call->deployment = std::string(model);
  call->request_id = std::move(request.request_id);
  call->start_ns = start_ns;
  call->done = std::move(done);
  absl::Status checked = CheckInputs(v.schema(), request.inputs);
  auto outputs = OutputIndices(v.schema(), request.requested_outputs);
  if (checked.ok() && !outputs.ok()) checked = outputs.status();
  if (!checked.ok()) {
    target.metrics->RecordError(checked.code());
    target.arm->RecordError();
    InferResult r;
    r.status = std::move(checked);
    r.model_name = AnsweringName(*call, target);
    r.model_version = target.version;
    return call->done(std::move(r));
  }
  call->outputs = std::move(outputs).value();
  std::vector<Tensor> inputs = InSchemaOrder(v.schema(), std::move(request.inputs));
  std::vector<Tensor> shadow_inputs;
  if (route->shadow) shadow_inputs = inputs;
  v.batcher().Submit(std::move(inputs), request.deadline_ms,
                     [this, call, target = std::move(target)](BatchResult r) {
                       Complete(*call, target, std::move(r));
                     });
  if (route->shadow) SubmitShadow(route->shadow, call, std::move(shadow_inputs));
}

void ServingService::Complete(const Call& call, const Target& target, BatchResult r) {
  Observe(*target.metrics, *target.arm, r, (clock_.MonotonicNanos() - call.start_ns) / 1000);
  InferResult res;
  res.status = r.status;
  res.model_name = AnsweringName(call, target);
  res.model_version = target.version;
  res.queue_us = r.queue_us;
  res.compute_us = r.compute_us;
  for (size_t i : call.outputs) {
    if (r.status.ok() && i >= r.outputs.size()) {
      r.status = absl::InternalError("the model returned " + std::to_string(r.outputs.size()) +
                                     " outputs, fewer than its schema declares");
      target.metrics->RecordError(r.status.code());
      if (res.status.ok()) target.arm->RecordError();
      res.status = r.status;
    }
  }
  if (r.status.ok()) {
    if (observer_) {
      observer_->OnPrediction(PredictionRecord{call.deployment, target.model_name, target.version,
                                               call.request_id, std::string(RoleName(target.role)),
                                               clock_.NowMillis(), r.queue_us + r.compute_us,
                                               r.inputs, r.outputs});
    }
    // Move each output at its last request; an output requested twice is copied before that.
    std::vector<size_t> remaining(r.outputs.size(), 0);
    for (size_t i : call.outputs) remaining[i]++;
    res.outputs.reserve(call.outputs.size());
    for (size_t i : call.outputs) {
      if (--remaining[i] > 0) {
        res.outputs.push_back(r.outputs[i]);
      } else {
        res.outputs.push_back(std::move(r.outputs[i]));
      }
    }
  }
  call.done(std::move(res));
}

void ServingService::SubmitShadow(const LoadedVersionPtr& shadow, const std::shared_ptr<Call>& call,
                                  std::vector<Tensor> inputs) {
  Target target = TargetOf(*shadow, Role::kShadow);
  target.metrics->RecordRequest(Role::kShadow);
  target.arm->RecordRequest();
  // The challenger may take different inputs than the primary: its own check, its own error.
  absl::Status checked = CheckInputs(shadow->schema(), inputs);
  if (!checked.ok()) {
    target.metrics->RecordError(checked.code());
    target.arm->RecordError();
    return;
  }
  inputs = InSchemaOrder(shadow->schema(), std::move(inputs));
  shadow->batcher().Submit(
      std::move(inputs), 0,
      [this, deployment = call->deployment, request_id = call->request_id,
       start_ns = call->start_ns, target = std::move(target)](BatchResult r) {
        Observe(*target.metrics, *target.arm, r, (clock_.MonotonicNanos() - start_ns) / 1000);
        if (!r.status.ok() || !observer_) return;
        observer_->OnPrediction(PredictionRecord{
            deployment, target.model_name, target.version, request_id, "shadow", clock_.NowMillis(),
            r.queue_us + r.compute_us, std::move(r.inputs), std::move(r.outputs)});
      });
}

void ServingService::RecordSerialize(std::string_view model, int64_t micros) {
  if (auto m = metrics_.FindDeployment(std::string(model))) m->serialize_us.Observe(micros);
}

std::string ServingService::RenderMetrics() const {
  std::string out = metrics_.Render();
  for (const auto& source : metric_sources_) source(&out);
  return out;
}

}  // namespace ferry::serving
