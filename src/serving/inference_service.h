#pragma once
// What the inference endpoints (OIP /v2, MLflow /invocations, /metrics) call. serving/
// implements it over loaded deployments; handler tests use a fake. Thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"
#include "core/tensor.h"

namespace ferry::serving {

// Triton's readiness states of one loaded version.
enum class ModelState { kUnknown, kLoading, kReady, kUnloading, kUnavailable };
std::string_view ModelStateName(ModelState s);  // "UNKNOWN", "LOADING", ...

struct ModelInfo {
  std::string name;                   // deployment name (the OIP model name)
  std::vector<std::string> versions;  // loaded versions, primary first
  std::string platform;               // "ferry_<family>", e.g. "ferry_logistic"
  std::string backend_reason;         // MLflow models: why this backend serves it, or ""
  ModelSchema schema;                 // of the version asked for (primary by default)
  ModelState state = ModelState::kUnknown;
};

struct InferRequest {
  std::string id;                              // OIP request id (echoed), may be empty
  std::string request_id;                      // the HTTP X-Request-Id, for the log
  std::vector<Tensor> inputs;                  // already decoded; checked by the service
  std::vector<std::string> requested_outputs;  // empty: all outputs
  int64_t deadline_ms = 0;                     // CLOCK_MONOTONIC ms after which to give up; 0: none
};

struct InferResult {
  // OK, or: kNotFound (no such model/version), kInvalidArgument (schema check, naming the
  // input), kUnavailable (queue full / not ready: the HTTP layer adds Retry-After),
  // kDeadlineExceeded, kInternal.
  absl::Status status;
  std::string model_name;       // the model that answered: a canary's own name, else the deployment
  std::string model_version;    // the version that answered
  std::vector<Tensor> outputs;  // in schema order, filtered by requested_outputs
  int64_t queue_us = 0;
  int64_t compute_us = 0;
};

// Called exactly once per Infer, on the calling thread (inline execution) or on a batcher
// thread. Must not block.
using InferCallback = std::function<void(InferResult)>;

class InferenceService {
 public:
  virtual ~InferenceService() = default;

  // Server liveness and readiness (every deployment has a READY version).
  virtual bool Live() const = 0;
  virtual bool Ready() const = 0;
  // Names of the deployments, sorted.
  virtual std::vector<std::string> Models() const = 0;
  // `version` empty: the primary version. kNotFound naming the model or version.
  virtual absl::StatusOr<ModelInfo> Describe(std::string_view model,
                                             std::string_view version) const = 0;
  // Runs `request` on `model` (version empty: the deployment's traffic policy picks primary
  // or canary, and mirrors to a shadow). `done` gets the result.
  virtual void Infer(std::string_view model, std::string_view version, InferRequest request,
                     InferCallback done) = 0;
  // The HTTP layer reports how long it took to encode a response, for the latency split.
  virtual void RecordSerialize(std::string_view model, int64_t micros) = 0;
  // Prometheus text exposition format (version 0.0.4) of every serving metric.
  virtual std::string RenderMetrics() const = 0;
};

}  // namespace ferry::serving
