#include "runtime/xgboost/xgboost_predictor.h"

#include <cmath>
#include <cstdint>
#include <utility>

namespace ferry::runtime::xgboost {
namespace {

class XgboostPredictor : public Predictor {
 public:
  explicit XgboostPredictor(LoadedModel model)
      : model_(std::move(model)), schema_(SchemaFor(model_.info)) {}

  // Predictor
  const ModelSchema& schema() const override { return schema_; }
  absl::Status Predict(const std::vector<Tensor>& inputs,
                       std::vector<Tensor>& outputs) const override;

 private:
  absl::Status FillOutputs(const std::vector<float>& raw, size_t rows,
                           std::vector<Tensor>& outputs) const;

  LoadedModel model_;
  ModelSchema schema_;
};

absl::Status XgboostPredictor::Predict(const std::vector<Tensor>& inputs,
                                       std::vector<Tensor>& outputs) const {
  if (inputs.size() != 1) return absl::InvalidArgumentError("expected one input tensor");
  const Tensor& in = inputs[0];
  const size_t cols = model_.info.features.size();
  if (in.shape.size() != 2 || in.shape[1] != static_cast<int64_t>(cols)) {
    return absl::InvalidArgumentError("input \"input\": expected shape [-1," +
                                      std::to_string(cols) + "], got " + ShapeString(in.shape));
  }
  const size_t rows = static_cast<size_t>(in.shape[0]);
  std::vector<double> converted;
  const double* values = nullptr;
  if (in.datatype == DataType::kFp64) {
    values = in.As<double>();
  } else {
    converted = ToDoubles(in);
    values = converted.data();
  }
  ASSIGN_OR_RETURN(std::vector<float> raw, PredictDense(model_.booster, values, rows, cols));
  return FillOutputs(raw, rows, outputs);
}

absl::Status XgboostPredictor::FillOutputs(const std::vector<float>& raw, size_t rows,
                                           std::vector<Tensor>& outputs) const {
  const ModelInfo& info = model_.info;
  const int64_t n = static_cast<int64_t>(rows);
  outputs.clear();
  if (info.kind == OutputKind::kValue) {
    if (raw.size() != rows) return absl::InternalError("xgboost returned an unexpected shape");
    outputs.push_back(MakeFp64Tensor("predictions", {n}, {raw.begin(), raw.end()}));
    return absl::OkStatus();
  }
  const size_t c = info.classes.size();
  std::vector<int64_t> labels(rows);
  if (info.kind == OutputKind::kClassIndex) {
    if (raw.size() != rows) return absl::InternalError("xgboost returned an unexpected shape");
    for (size_t i = 0; i < rows; ++i) {
      size_t k = static_cast<size_t>(raw[i]);
      if (k >= c) return absl::InternalError("xgboost returned class index out of range");
      labels[i] = info.classes[k];
    }
    outputs.push_back(MakeInt64Tensor("predictions", {n}, labels));
    return absl::OkStatus();
  }
  std::vector<double> probs(rows * c);
  if (c == 2 && raw.size() == rows) {  // binary:logistic gives P(class 1)
    for (size_t i = 0; i < rows; ++i) {
      probs[2 * i] = 1.0 - static_cast<double>(raw[i]);
      probs[2 * i + 1] = raw[i];
    }
  } else if (raw.size() == rows * c) {
    probs.assign(raw.begin(), raw.end());
  } else {
    return absl::InternalError("xgboost returned an unexpected shape");
  }
  for (size_t i = 0; i < rows; ++i) {
    size_t best = 0;  // first maximum, as numpy's argmax
    for (size_t k = 1; k < c; ++k) {
      if (probs[i * c + k] > probs[i * c + best]) best = k;
    }
    labels[i] = info.classes[best];
  }
  outputs.push_back(MakeInt64Tensor("predictions", {n}, labels));
  outputs.push_back(MakeFp64Tensor("probabilities", {n, static_cast<int64_t>(c)}, probs));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<float>> PredictDense(const Booster& booster, const double* values,
                                                size_t rows, size_t cols) {
  if (rows == 0) return std::vector<float>();
  const std::string array = "{\"data\":[" + std::to_string(reinterpret_cast<uintptr_t>(values)) +
                            ",true],\"shape\":[" + std::to_string(rows) + "," +
                            std::to_string(cols) + "],\"typestr\":\"<f8\",\"version\":3}";
  static constexpr char kConfig[] =
      "{\"type\":0,\"training\":false,\"cache_id\":0,\"iteration_begin\":0,\"iteration_end\":0,"
      "\"strict_shape\":false,\"missing\":NaN}";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  RETURN_IF_ERROR(Check(
      XGBoosterPredictFromDense(booster.get(), array.c_str(), kConfig, nullptr, &shape, &dim, &out),
      "predict"));
  size_t total = 1;
  for (bst_ulong i = 0; i < dim; ++i) total *= shape[i];
  return std::vector<float>(out, out + total);
}

absl::StatusOr<PredictorPtr> LoadXgboostPredictor(const std::string& dir,
                                                  const std::vector<std::string>& column_hint) {
  ASSIGN_OR_RETURN(LoadedModel model, LoadModelDir(dir, column_hint));
  return PredictorPtr(std::make_unique<XgboostPredictor>(std::move(model)));
}

}  // namespace ferry::runtime::xgboost
