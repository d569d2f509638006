#include "http/handlers/inference/testing/fake_inference_service.h"

#include <cctype>
#include <optional>

namespace ferry::http::testing {
namespace {

ModelSchema SumSchema() {
  ModelSchema s;
  s.inputs.push_back({"x", DataType::kFp64, {-1, 3}, {"a", "b", "c"}, false});
  s.outputs.push_back({"y", DataType::kFp64, {-1}, {}, false});
  s.outputs.push_back({"n", DataType::kInt64, {-1}, {}, false});
  return s;
}

ModelSchema EchoSchema() {
  ModelSchema s;
  s.inputs.push_back({"session", DataType::kBytes, {-1}, {}, false});
  s.outputs.push_back({"upper", DataType::kBytes, {-1}, {}, false});
  return s;
}

// A classifier as Ferry's families give one: labels and class probabilities.
ModelSchema ClfSchema() {
  ModelSchema s = SumSchema();
  s.outputs = {{"predictions", DataType::kInt64, {-1}, {}, false},
               {"probabilities", DataType::kFp64, {-1, 2}, {"0", "1"}, false}};
  return s;
}

// An MLflow column-based signature: long "n", string "s", optional double "opt".
ModelSchema TypedSchema() {
  ModelSchema s;
  s.inputs = {{"n", DataType::kInt64, {-1}, {}, false},
              {"s", DataType::kBytes, {-1}, {}, false},
              {"opt", DataType::kFp64, {-1}, {}, true, false}};
  return s;
}

// "clf": label 1 when a+b+c > 5, with probability 0.9.
void Classify(const Tensor& in, serving::InferResult& r) {
  std::vector<double> x = ToDoubles(in);
  std::vector<int64_t> labels;
  std::vector<double> probs;
  for (size_t i = 0; i + 2 < x.size(); i += 3) {
    bool one = x[i] + x[i + 1] + x[i + 2] > 5;
    labels.push_back(one ? 1 : 0);
    probs.insert(probs.end(), {one ? 0.1 : 0.9, one ? 0.9 : 0.1});
  }
  int64_t n = static_cast<int64_t>(labels.size());
  r.outputs.push_back(MakeInt64Tensor("predictions", {n}, labels));
  r.outputs.push_back(MakeFp64Tensor("probabilities", {n, 2}, probs));
}

// "code-N": the status code N the model fails with, or nullopt for other names.
std::optional<absl::StatusCode> FailureCode(std::string_view model) {
  if (model.substr(0, 5) != "code-") return std::nullopt;
  int n = 0;
  for (char c : model.substr(5)) n = n * 10 + (c - '0');
  return static_cast<absl::StatusCode>(n);
}

std::vector<Tensor> Filter(std::vector<Tensor> outputs, const std::vector<std::string>& names) {
  if (names.empty()) return outputs;
  std::vector<Tensor> kept;
  for (Tensor& t : outputs) {
    for (const std::string& n : names) {
      if (t.name == n) kept.push_back(std::move(t));
    }
  }
  return kept;
}

serving::InferResult Run(std::string_view model, const serving::InferRequest& request) {
  serving::InferResult r;
  r.model_name = std::string(model);
  if (model == "sum" || model == "echo") {
    ModelSchema schema = model == "sum" ? SumSchema() : EchoSchema();
    r.status = CheckInputs(schema, request.inputs);
    if (!r.status.ok()) return r;
    const Tensor& in = request.inputs[0];
    if (model == "echo") {
      std::vector<std::string> up = in.strings;
      for (std::string& s : up) {
        for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      r.outputs.push_back(MakeBytesTensor("upper", {static_cast<int64_t>(up.size())}, up));
    } else {
      std::vector<double> x = ToDoubles(in);
      std::vector<double> y;
      std::vector<int64_t> n;
      for (size_t i = 0; i + 2 < x.size(); i += 3) {
        y.push_back(x[i] + x[i + 1] + x[i + 2]);
        n.push_back(static_cast<int64_t>(i / 3));
      }
      r.outputs.push_back(MakeFp64Tensor("y", {static_cast<int64_t>(y.size())}, y));
      r.outputs.push_back(MakeInt64Tensor("n", {static_cast<int64_t>(n.size())}, n));
    }
    r.model_version = "1";
  } else if (model == "clf" || model == "typed") {
    r.status = CheckInputs(model == "clf" ? ClfSchema() : TypedSchema(), request.inputs);
    if (!r.status.ok()) return r;
    if (model == "clf") {
      Classify(request.inputs[0], r);
    } else {
      r.outputs = request.inputs;
    }
  } else if (model == "identity" || model == "later") {
    r.outputs = request.inputs;
  } else if (std::optional<absl::StatusCode> code = FailureCode(model)) {
    r.status = absl::Status(*code, "the model failed as scripted");
  } else if (model == "busy") {
    r.status = absl::UnavailableError("queue full");
  } else if (model == "slow") {
    r.status = absl::DeadlineExceededError("deadline exceeded in the queue");
  } else if (model == "broken") {
    r.status = absl::InternalError("predictor crashed");
  } else if (model == "invalid") {
    r.status = absl::InvalidArgumentError("input \"x\": NaN at element 0");
  } else {
    r.status = absl::NotFoundError("model \"" + std::string(model) + "\" not found");
  }
  r.outputs = Filter(std::move(r.outputs), request.requested_outputs);
  return r;
}

}  // namespace

FakeInferenceService::~FakeInferenceService() {
  for (std::thread& t : threads_) t.join();
}

absl::StatusOr<serving::ModelInfo> FakeInferenceService::Describe(std::string_view model,
                                                                  std::string_view version) const {
  serving::ModelInfo info;
  info.name = std::string(model);
  info.state = serving::ModelState::kReady;
  if (auto it = echo_schemas.find(model); it != echo_schemas.end()) {
    info.versions = {"1"};
    info.platform = "ferry_test";
    info.schema = it->second;
    return info;
  }
  if (model == "sum") {
    info.versions = {"1", "2"};
    info.platform = "ferry_linear";
    info.schema = SumSchema();
    if (!version.empty() && version != "1" && version != "2") {
      return absl::NotFoundError("model \"sum\" has no version \"" + std::string(version) + "\"");
    }
    return info;
  }
  if (model == "clf" || model == "typed") {
    info.versions = {"1"};
    info.platform = model == "clf" ? "ferry_logistic" : "mlflow_pyfunc";
    info.schema = model == "clf" ? ClfSchema() : TypedSchema();
    return info;
  }
  if (model == "echo") {
    info.versions = {"1"};
    info.platform = "ferry_recommender";
    info.schema = EchoSchema();
    return info;
  }
  if (model == "loading") {
    info.state = serving::ModelState::kLoading;
    return info;
  }
  if (model == "unloaded") {  // a deployment whose load failed
    return absl::UnavailableError(
        "model \"unloaded\" has no version loaded: RuntimeError: weights are missing");
  }
  if (model == "identity" || model == "later" || model == "busy" || model == "slow" ||
      model == "broken" || model == "invalid" || FailureCode(model)) {
    info.versions = {"1"};
    info.platform = "ferry_test";
    return info;
  }
  return absl::NotFoundError("model \"" + std::string(model) + "\" not found");
}

void FakeInferenceService::Infer(std::string_view model, std::string_view version,
                                 serving::InferRequest request, serving::InferCallback done) {
  last_request = request;
  last_version = std::string(version);
  if (auto it = echo_schemas.find(model); it != echo_schemas.end()) {
    serving::InferResult echo;
    echo.model_name = std::string(model);
    echo.status = CheckInputs(it->second, request.inputs);
    if (echo.status.ok()) echo.outputs = request.inputs;
    return done(std::move(echo));
  }
  serving::InferResult result = Run(model, request);
  if (model == "later") {
    threads_.emplace_back([done = std::move(done), result = std::move(result)]() mutable {
      done(std::move(result));
    });
    return;
  }
  done(std::move(result));
}

void FakeInferenceService::RecordSerialize(std::string_view, int64_t) { ++serialize_calls; }

std::string FakeInferenceService::RenderMetrics() const {
  return "# TYPE ferry_inference_requests_total counter\nferry_inference_requests_total 7\n";
}

}  // namespace ferry::http::testing
