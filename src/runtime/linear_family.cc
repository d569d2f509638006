#include "runtime/linear_family.h"

#include <cmath>
#include <string>
#include <utility>

#include "common/fs.h"
#include "runtime/c_export_internal.h"
#include "runtime/linear_model.h"
#include "runtime/linear_trainer.h"

namespace ferry::runtime {
namespace {

// A loaded linear or logistic model. Immutable after Load, so Predict is thread-safe.
class LinearPredictor : public Predictor {
 public:
  explicit LinearPredictor(LinearModel model)
      : model_(std::move(model)), schema_(model_.Schema()) {}

  // Predictor
  const ModelSchema& schema() const override { return schema_; }
  absl::Status Predict(const std::vector<Tensor>& inputs,
                       std::vector<Tensor>& outputs) const override;

 private:
  LinearModel model_;
  ModelSchema schema_;
};

absl::Status LinearPredictor::Predict(const std::vector<Tensor>& inputs,
                                      std::vector<Tensor>& outputs) const {
  const Tensor* input = nullptr;
  for (const Tensor& t : inputs) {
    if (t.name == "input") input = &t;
  }
  int64_t f = static_cast<int64_t>(model_.n_features());
  if (input == nullptr) return absl::InvalidArgumentError("missing input \"input\"");
  if (input->shape.size() != 2 || input->shape[1] != f || input->shape[0] < 0 ||
      (!IsNumeric(input->datatype) && input->datatype != DataType::kBool)) {
    return absl::InvalidArgumentError("input \"input\": expected a numeric tensor of shape [-1," +
                                      std::to_string(f) + "], got " + ShapeString(input->shape) +
                                      " " + std::string(DataTypeName(input->datatype)));
  }
  std::vector<double> x = ToDoubles(*input);
  for (size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) {
      return absl::InvalidArgumentError("input \"input\": non-finite value at element " +
                                        std::to_string(i));
    }
  }
  size_t n = static_cast<size_t>(input->shape[0]);
  std::vector<double> values;
  std::vector<int64_t> labels;
  model_.Predict(x.data(), n, values, labels);
  outputs = model_.MakeOutputs(n, values, labels);
  return absl::OkStatus();
}

class LinearFamilyBase : public Family {
 public:
  explicit LinearFamilyBase(bool logistic) : logistic_(logistic) {}

  // Family
  std::string_view name() const override { return logistic_ ? "logistic" : "linear"; }
  TrainerPtr NewTrainer() const override { return std::make_unique<LinearTrainer>(logistic_); }
  absl::StatusOr<PredictorPtr> Load(const ModelFiles& files) const override;
  absl::Status ExportC(const ModelFiles& files, const std::string& out_dir,
                       std::string_view symbol_prefix) const override {
    ASSIGN_OR_RETURN(internal::CSource code, internal::ExportLinearC(files, name(), symbol_prefix));
    return internal::WriteCSource(code, out_dir, symbol_prefix);
  }

 private:
  bool logistic_;
};

absl::StatusOr<PredictorPtr> LinearFamilyBase::Load(const ModelFiles& files) const {
  ASSIGN_OR_RETURN(LinearModel model, ReadLinearModel(files.dir));
  if (model.logistic != logistic_) {
    return absl::InvalidArgumentError(JoinPath(files.dir, kLinearModelFile) + " holds a " +
                                      std::string(model.family()) + " model, not a " +
                                      std::string(name()) + " one");
  }
  // The recorded schema, when there is one, must describe this model's input.
  if (const TensorSpec* spec = files.schema.FindInput("input"); spec != nullptr) {
    if (!spec->columns.empty() && spec->columns != model.features) {
      return absl::InvalidArgumentError("the schema's input columns differ from the features in " +
                                        JoinPath(files.dir, kLinearModelFile));
    }
  }
  return PredictorPtr(std::make_unique<LinearPredictor>(std::move(model)));
}

class LinearFamily : public LinearFamilyBase {
 public:
  LinearFamily() : LinearFamilyBase(false) {}
};

class LogisticFamily : public LinearFamilyBase {
 public:
  LogisticFamily() : LinearFamilyBase(true) {}
};

}  // namespace

FamilyPtr NewLinearFamily() { return std::make_unique<LinearFamily>(); }
FamilyPtr NewLogisticFamily() { return std::make_unique<LogisticFamily>(); }

void AddCoreFamilies(FamilyRegistry& registry) {
  registry.Add(NewLinearFamily());
  registry.Add(NewLogisticFamily());
}

}  // namespace ferry::runtime
