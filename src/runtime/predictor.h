#pragma once
// The inference side of a model family, modelled on Triton's backend API (style.md §7):
//   Family (backend, registered once)  -> Family::Load (ModelInitialize: files -> Predictor)
//   Predictor::Predict (Execute(batch)) -> destructor (Finalize).
// Readiness (UNKNOWN/LOADING/READY/UNLOADING/UNAVAILABLE) is tracked by serving/, which owns
// the lifecycle of loaded versions.

#include <memory>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"
#include "core/tensor.h"

namespace ferry::runtime {

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
};
using PredictorPtr = std::unique_ptr<Predictor>;

}  // namespace ferry::runtime
