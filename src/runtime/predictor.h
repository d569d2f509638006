#pragma once
// The inference side of a model family, modelled on Triton's backend API (style.md §7):
//   Family (backend, registered once)  -> Family::Load (ModelInitialize: files -> Predictor)
//   Predictor::Predict (Execute(batch)) -> destructor (Finalize).
// Readiness (UNKNOWN/LOADING/READY/UNLOADING/UNAVAILABLE) is tracked by serving/, which owns
// the lifecycle of loaded versions.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"
#include "core/tensor.h"

namespace ferry::runtime {

// How a model is best run, for serving to choose when the operator did not.
struct ExecutionHint {
  // Calls that make progress at once when Predict waits on other processes (a worker pool):
  // such a model never runs on the caller's (an event loop's) thread. 0: in-process, inline.
  int concurrency = 0;
  // Rows per call when dynamic batching is on by default (the model's rows are independent,
  // as sklearn's and xgboost's are); 0: batching only when the operator asks.
  int batch_rows = 0;
};

// The counters of a model served by worker processes, since it was loaded.
struct WorkerPoolStats {
  int live_workers = 0;
  int workers = 0;        // configured
  int64_t restarts = 0;   // workers started after the first set
  int64_t requests = 0;   // Predict calls answered (successfully or not)
  int64_t failures = 0;   // of which failed
  int64_t queue_us = 0;   // summed over requests: waiting for a free worker
  int64_t ipc_us = 0;     //   encode, transfer and decode
  int64_t worker_us = 0;  //   inside the worker, around the model call
};

// A loaded model. Thread-safe: Predict may run on many threads at once.
class Predictor {
 public:
  virtual ~Predictor() = default;

  // The inputs it accepts and the outputs it produces, as recorded in the package.
  virtual const ModelSchema& schema() const = 0;

  // Runs the model on a batch: `inputs` passed CheckInputs(schema()) and share dim 0 (the
  // batch size N). On success `outputs` holds one tensor per schema output, in schema order,
  // each with dim 0 == N; the caller owns them. On error (kInvalidArgument for values the
  // model cannot take, kInternal for a failure of the model itself) `outputs` is unspecified.
  virtual absl::Status Predict(const std::vector<Tensor>& inputs,
                               std::vector<Tensor>& outputs) const = 0;

  // Whether it can answer now. In-process models always can; a model served by worker
  // processes says why not while none is alive (kUnavailable with the reason), so readiness
  // endpoints tell the truth.
  virtual absl::Status Ready() const { return absl::OkStatus(); }

  virtual ExecutionHint Execution() const { return {}; }
  // nullopt for an in-process model.
  virtual std::optional<WorkerPoolStats> PoolStats() const { return std::nullopt; }
};
using PredictorPtr = std::unique_ptr<Predictor>;

}  // namespace ferry::runtime
