#pragma once
// The model of the linear and logistic families and its file, `model.json`:
//
//   {
//     "format": "ferry-linear", "version": 1,
//     "family": "linear" | "logistic",
//     "target": "<label column the model was trained on>",
//     "features": ["f1", ...],          // F input columns, in input order
//     "mean": [F numbers], "scale": [F numbers],   // x_std = (x - mean) / scale
//     "classes": [0, 1] | ["cat", "dog"],          // logistic only: C >= 2 class labels
//     "coef": [[F numbers], ...],       // K rows: 1 for linear and binary logistic, C otherwise
//     "intercept": [K numbers]
//   }
//
// Numbers are written in shortest round-trip form, so a loaded model computes bit-for-bit
// the same outputs as the one that was saved. Classes are JSON integers when every label is
// an integer (predictions are then INT64) and strings otherwise (predictions are BYTES).
//
// Outputs for a row x: linear z = intercept[0] + coef[0] . x_std. Binary logistic:
// p1 = sigmoid(z), p0 = 1 - p1. Multinomial: p = softmax(intercept + coef . x_std). The
// predicted class is the first index of the largest probability.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"
#include "core/tensor.h"

namespace ferry::runtime {

inline constexpr std::string_view kLinearModelFile = "model.json";
inline constexpr std::string_view kLinearModelFormat = "ferry-linear";

struct LinearModel {
  bool logistic = false;
  std::string target;
  std::vector<std::string> features;
  std::vector<double> mean, scale;  // F each
  // Logistic: the class labels in index order. `integer_classes` says whether each label is
  // an integer; then `class_ints` holds them and `classes` their decimal spelling.
  std::vector<std::string> classes;
  bool integer_classes = false;
  std::vector<int64_t> class_ints;
  std::vector<double> coef;       // K x F, row-major
  std::vector<double> intercept;  // K

  std::string_view family() const { return logistic ? "logistic" : "linear"; }
  size_t n_features() const { return features.size(); }
  size_t n_classes() const { return classes.size(); }  // 0 for linear
  size_t n_rows() const { return intercept.size(); }   // K

  // Runs the model on `n` rows of raw (unstandardised) features, row-major n x F.
  // Linear: `values` gets n predictions. Logistic: `values` gets n x C probabilities and
  // `labels` the predicted class indices.
  void Predict(const double* x, size_t n, std::vector<double>& values,
               std::vector<int64_t>& labels) const;

  // The schema its predictor exposes (see linear_family.h).
  ModelSchema Schema() const;
  // Output tensors for a batch, in schema order.
  std::vector<Tensor> MakeOutputs(size_t n, const std::vector<double>& values,
                                  const std::vector<int64_t>& labels) const;

  std::string ToJson() const;
  // Checks sizes and values. kDataLoss naming `source` and the problem.
  absl::Status Validate(std::string_view source) const;
};

// Parses and validates a model file's text; `source` names it in errors.
absl::StatusOr<LinearModel> ParseLinearModel(std::string_view text, std::string_view source);
// Reads `dir`/model.json. kNotFound if missing, kDataLoss if malformed.
absl::StatusOr<LinearModel> ReadLinearModel(const std::string& dir);
// Writes `dir`/model.json.
absl::Status WriteLinearModel(const LinearModel& model, const std::string& dir);

}  // namespace ferry::runtime
