#pragma once
// A scripted InferenceService for the serving handler tests (test-only).
//   "sum"      tabular: input "x" FP64 [-1,3] columns a,b,c; outputs "y" FP64 [-1] (row sums)
//              and "n" INT64 [-1] (row index); versions "1" (primary) and "2".
//   "echo"     input "session" BYTES [-1]; output "upper" BYTES [-1] (uppercased).
//   "clf"      input as "sum"; outputs "predictions" INT64 [-1] (1 when a+b+c > 5) and
//              "probabilities" FP64 [-1,2] (0.9 for the label), as Ferry's classifiers.
//   "typed"    an MLflow column-based signature: "n" INT64 [-1], "s" BYTES [-1], optional
//              "opt" FP64 [-1]; returns its inputs.
//   "identity" no schema check; returns its inputs as outputs (datatype round trips).
//   "busy" / "slow" / "broken" / "invalid"  fail with kUnavailable / kDeadlineExceeded /
//              kInternal / kInvalidArgument.
//   "code-N"   fails with absl::StatusCode N (e.g. "code-8" kResourceExhausted).
//   "later"    like "identity", but answers from another thread.
//   "loading"  described with state LOADING.
//   "unloaded" not described: kUnavailable, no version loaded (its load failed), with the reason.

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "serving/inference_service.h"

namespace ferry::http::testing {

class FakeInferenceService : public serving::InferenceService {
 public:
  ~FakeInferenceService() override;

  // InferenceService
  bool Live() const override { return live; }
  bool Ready() const override { return ready; }
  std::vector<std::string> Models() const override { return models; }
  absl::StatusOr<serving::ModelInfo> Describe(std::string_view model,
                                              std::string_view version) const override;
  void Infer(std::string_view model, std::string_view version, serving::InferRequest request,
             serving::InferCallback done) override;
  void RecordSerialize(std::string_view model, int64_t micros) override;
  std::string RenderMetrics() const override;

  bool live = true;
  bool ready = true;
  std::vector<std::string> models = {"busy", "echo", "identity", "sum"};
  // Extra models by name: described with the schema, checked against it, answering their
  // inputs (for data-driven tests with schemas of their own).
  std::map<std::string, ModelSchema, std::less<>> echo_schemas;

  // The last request Infer received, and the version asked for.
  serving::InferRequest last_request;
  std::string last_version;
  int serialize_calls = 0;

 private:
  std::vector<std::thread> threads_;
};

}  // namespace ferry::http::testing
