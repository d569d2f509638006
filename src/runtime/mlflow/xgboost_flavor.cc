#include "runtime/mlflow/xgboost_flavor.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/fs.h"
#include "runtime/xgboost/xgboost_model.h"
#include "runtime/xgboost/xgboost_predictor.h"

namespace ferry::runtime::mlflow {
namespace {

namespace xgb = ::ferry::runtime::xgboost;

enum class Answer { kLabels, kValues, kRaw };

Answer AnswerOf(const std::string& model_class) {
  if (model_class == "xgboost.core.Booster") return Answer::kRaw;
  const std::string cls = model_class.substr(model_class.rfind('.') + 1);
  return (cls == "XGBClassifier" || cls == "XGBRFClassifier") ? Answer::kLabels : Answer::kValues;
}

class XgboostFlavorPredictor : public Predictor {
 public:
  XgboostFlavorPredictor(xgb::LoadedModel model, Answer answer, std::vector<size_t> column_of,
                         ModelSchema schema)
      : model_(std::move(model)),
        answer_(answer),
        column_of_(std::move(column_of)),
        schema_(std::move(schema)) {}

  // Predictor
  const ModelSchema& schema() const override { return schema_; }
  absl::Status Predict(const std::vector<Tensor>& inputs,
                       std::vector<Tensor>& outputs) const override;

 private:
  std::vector<double> Matrix(const std::vector<Tensor>& inputs, size_t rows) const;
  Tensor Labels(const std::vector<float>& raw, size_t rows) const;

  xgb::LoadedModel model_;
  Answer answer_;
  // Per-column inputs: the matrix column of input j. Empty for one [N, F] tensor input.
  std::vector<size_t> column_of_;
  ModelSchema schema_;
};

std::vector<double> XgboostFlavorPredictor::Matrix(const std::vector<Tensor>& inputs,
                                                   size_t rows) const {
  if (column_of_.empty()) return ToDoubles(inputs[0]);
  const size_t cols = column_of_.size();
  std::vector<double> m(rows * cols);
  for (size_t j = 0; j < cols; ++j) {
    const std::vector<double> v = ToDoubles(inputs[j]);
    for (size_t i = 0; i < rows; ++i) m[i * cols + column_of_[j]] = v[i];
  }
  return m;
}

// XGBClassifier.predict: the first maximum of the class probabilities, or P > 0.5 for a
// binary model, or the class index multi:softmax already gives.
Tensor XgboostFlavorPredictor::Labels(const std::vector<float>& raw, size_t rows) const {
  std::vector<int64_t> labels(rows);
  const size_t c = rows == 0 ? 0 : raw.size() / rows;
  const bool softmax = model_.info.objective == "multi:softmax";
  for (size_t i = 0; i < rows; ++i) {
    if (c > 1) {
      const float* p = raw.data() + i * c;
      labels[i] = std::max_element(p, p + c) - p;
    } else {
      labels[i] = softmax ? static_cast<int64_t>(raw[i]) : (raw[i] > 0.5f ? 1 : 0);
    }
  }
  return MakeInt64Tensor(schema_.outputs[0].name, {static_cast<int64_t>(rows)}, labels);
}

absl::Status XgboostFlavorPredictor::Predict(const std::vector<Tensor>& inputs,
                                             std::vector<Tensor>& outputs) const {
  if (inputs.size() != schema_.inputs.size() || inputs.empty()) {
    return absl::InvalidArgumentError("expected " + std::to_string(schema_.inputs.size()) +
                                      " inputs, got " + std::to_string(inputs.size()));
  }
  const size_t rows = inputs[0].shape.empty() ? 0 : static_cast<size_t>(inputs[0].shape[0]);
  const size_t cols = model_.info.features.size();
  const std::vector<double> matrix = Matrix(inputs, rows);
  if (matrix.size() != rows * cols) {
    return absl::InvalidArgumentError("expected " + std::to_string(cols) + " values per row");
  }
  ASSIGN_OR_RETURN(std::vector<float> raw,
                   xgb::PredictDense(model_.booster, matrix.data(), rows, cols));
  if (rows > 0 && raw.size() % rows != 0) {
    return absl::InternalError("xgboost returned " + std::to_string(raw.size()) + " values for " +
                               std::to_string(rows) + " rows");
  }
  outputs.clear();
  if (answer_ == Answer::kLabels) {
    outputs.push_back(Labels(raw, rows));
    return absl::OkStatus();
  }
  const int64_t n = static_cast<int64_t>(rows);
  const int64_t width = rows == 0 ? 1 : static_cast<int64_t>(raw.size() / rows);
  const std::vector<int64_t>& declared = schema_.outputs[0].shape;
  if ((declared.size() == 1 && width != 1) || (declared.size() == 2 && width != declared[1])) {
    return absl::InternalError("xgboost returned " + std::to_string(width) +
                               " values per row; the model's output declares " +
                               ShapeString(declared));
  }
  std::vector<int64_t> shape =
      declared.size() == 1 ? std::vector<int64_t>{n} : std::vector<int64_t>{n, width};
  outputs.push_back(MakeFp64Tensor(schema_.outputs[0].name, shape, {raw.begin(), raw.end()}));
  return absl::OkStatus();
}

absl::Status BadFit(const MlModel& m, const std::string& why) {
  return absl::InvalidArgumentError(m.path + ": the signature does not fit " + m.xgboost.data +
                                    ": " + why);
}

// The matrix column of each per-column input: by name when the booster stores feature
// names, else by position.
absl::StatusOr<std::vector<size_t>> ColumnOrder(const MlModel& m, const xgb::ModelInfo& info,
                                                bool named_features) {
  const auto& in = m.schema.inputs;
  if (in.size() != info.features.size()) {
    return BadFit(m, std::to_string(in.size()) + " input columns, the model has " +
                         std::to_string(info.features.size()) + " features");
  }
  std::vector<size_t> order(in.size());
  for (size_t j = 0; j < in.size(); ++j) {
    if (!named_features) {
      order[j] = j;
      continue;
    }
    auto it = std::find(info.features.begin(), info.features.end(), in[j].name);
    if (it == info.features.end()) {
      return BadFit(m, "column \"" + in[j].name + "\" is not a feature of the model");
    }
    order[j] = static_cast<size_t>(it - info.features.begin());
  }
  return order;
}

TensorSpec OutputSpec(const MlModel& m, Answer answer, const xgb::ModelInfo& info) {
  TensorSpec out;
  out.name = m.schema.outputs.size() == 1 ? m.schema.outputs[0].name : "predictions";
  out.datatype = answer == Answer::kLabels ? DataType::kInt64 : DataType::kFp64;
  out.shape = {-1};
  const bool per_class = info.kind == xgb::OutputKind::kProbabilities && info.classes.size() > 2;
  if (answer == Answer::kRaw && per_class) {
    out.shape.push_back(static_cast<int64_t>(info.classes.size()));
  }
  return out;
}

}  // namespace

absl::StatusOr<PredictorPtr> LoadXgboostFlavor(const MlModel& m, const std::string& model_dir) {
  std::vector<std::string> hint;
  for (const TensorSpec& s : m.schema.inputs) hint.push_back(s.name);
  ASSIGN_OR_RETURN(xgb::LoadedModel model,
                   xgb::LoadModelFile(JoinPath(model_dir, m.xgboost.data), hint));
  ASSIGN_OR_RETURN(std::vector<std::string> names, model.booster.FeatureNames());
  const Answer answer = AnswerOf(m.xgboost.model_class);
  ModelSchema schema;
  std::vector<size_t> column_of;
  const auto& in = m.schema.inputs;
  if (in.empty()) {
    schema.inputs = xgb::SchemaFor(model.info).inputs;
  } else if (in.size() == 1 && in[0].shape.size() == 2) {
    if (in[0].shape[1] != static_cast<int64_t>(model.info.features.size())) {
      return BadFit(m, "input \"" + in[0].name + "\" has shape " + ShapeString(in[0].shape) +
                           ", the model has " + std::to_string(model.info.features.size()) +
                           " features");
    }
    schema.inputs = in;
  } else {
    ASSIGN_OR_RETURN(column_of, ColumnOrder(m, model.info, !names.empty()));
    schema.inputs = in;
  }
  schema.outputs.push_back(OutputSpec(m, answer, model.info));
  return PredictorPtr(std::make_unique<XgboostFlavorPredictor>(
      std::move(model), answer, std::move(column_of), std::move(schema)));
}

}  // namespace ferry::runtime::mlflow
