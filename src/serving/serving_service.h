#pragma once
// InferenceService over a ModelManager: what the HTTP handlers call.
//
// Infer: finds the deployment (kNotFound), picks the version (an explicit version, or the
// deployment's policy: primary, canary share, shadow copy), checks the inputs with CheckInputs
// (kInvalidArgument naming the input) and the requested outputs (kInvalidArgument naming an
// unknown one), puts the inputs in schema order and submits them to the version's batcher.
// The callback gets the outputs in schema order, filtered by requested_outputs. A shadow copy
// runs after the client's request was submitted; its result is only recorded (metrics with
// role "shadow", the prediction observer) and its failures never reach the client. With
// batching off the shadow runs inline on the calling thread after `done` has been called.
//
// Metrics: every request that reached a deployment is counted on the version it was routed to
// (role primary/canary/shadow/direct); requests naming an unknown model are not counted (their
// names are client-chosen label values).
//
// Prediction observer (optional): one record per successful prediction, all outputs, the
// request's inputs; the shadow record carries the client request's request_id.
//
// Thread-safe. Callbacks may run after Infer returned (batching on): the destructor retires
// every version, so every callback has run when it returns.

#include <functional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "serving/inference_service.h"
#include "serving/model_manager.h"
#include "serving/prediction_observer.h"
#include "serving/serving_metrics.h"

namespace ferry::serving {

class ServingService : public InferenceService {
 public:
  // `clock`, `random` and `observer` (may be null) must outlive the service.
  ServingService(VersionLoader loader, Clock& clock, Random& random,
                 PredictionObserver* observer = nullptr);
  ~ServingService() override;

  // Loads, swaps and removes versions (the lead's control path).
  ModelManager& manager() { return manager_; }
  ServingMetrics& metrics() { return metrics_; }
  // Adds text appended to RenderMetrics (e.g. PredictionLog::RenderMetrics). Call before
  // serving: not synchronised with RenderMetrics.
  void AddMetricsSource(std::function<void(std::string*)> source);

  // InferenceService
  bool Live() const override;
  bool Ready() const override;
  std::vector<std::string> Models() const override;
  absl::StatusOr<ModelInfo> Describe(std::string_view model,
                                     std::string_view version) const override;
  void Infer(std::string_view model, std::string_view version, InferRequest request,
             InferCallback done) override;
  void RecordSerialize(std::string_view model, int64_t micros) override;
  std::string RenderMetrics() const override;

 private:
  struct Call;
  struct Target;
  static Target TargetOf(const LoadedVersion& v, Role role);
  static std::string AnsweringName(const Call& call, const Target& target);
  absl::StatusOr<Route> Resolve(std::string_view model, std::string_view version) const;
  // Records metrics and the prediction, then calls the client's callback.
  void Complete(const Call& call, const Target& target, BatchResult r);
  void SubmitShadow(const LoadedVersionPtr& shadow, const std::shared_ptr<Call>& call,
                    std::vector<Tensor> inputs);

  Clock& clock_;
  Random& random_;
  PredictionObserver* observer_;
  ServingMetrics metrics_;  // before manager_, which refers to it
  ModelManager manager_;
  std::vector<std::function<void(std::string*)>> metric_sources_;
};

// Indices into schema.outputs of `requested` (all outputs when empty), or kInvalidArgument
// `unknown output "y"`.
absl::StatusOr<std::vector<size_t>> OutputIndices(const ModelSchema& schema,
                                                  const std::vector<std::string>& requested);
// `inputs` (which passed CheckInputs) reordered to the schema's input order.
std::vector<Tensor> InSchemaOrder(const ModelSchema& schema, std::vector<Tensor> inputs);

}  // namespace ferry::serving
