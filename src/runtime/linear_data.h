#pragma once
// Turns Frames into the matrices the linear trainer fits on: parameter parsing, feature
// selection, feature matrices, standardisation and class labels. Internal to the linear
// families.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/frame.h"
#include "runtime/linear_model.h"

namespace ferry::runtime {

struct LinearParams {
  double l2 = 1.0;
  int max_iter = 1000;
  double tol = 1e-6;
  std::string features;  // as given; empty for the default
};

// kInvalidArgument naming the parameter: `param "l2": expected a number >= 0, got "x"`,
// `unknown param "foo" (the logistic family takes l2, max_iter, tol, features)`.
absl::StatusOr<LinearParams> ParseLinearParams(const std::map<std::string, std::string>& params,
                                               std::string_view family);

// The feature columns: the `features` list or every numeric column but the target.
absl::StatusOr<std::vector<std::string>> ResolveFeatures(const Frame& frame,
                                                         const std::string& features,
                                                         const std::string& target);

// Row-major n x F raw feature values. `what` ("training", "test") names the rows in errors:
// `feature column "x" not found in the test data`, `feature column "x": missing or non-finite
// value in training row 17`.
absl::StatusOr<std::vector<double>> FeatureMatrix(const Frame& frame,
                                                  const std::vector<std::string>& features,
                                                  std::string_view what);

// Fills model.mean / model.scale from the training matrix and standardises `x` in place.
void FitStandardizer(std::vector<double>& x, size_t n, size_t f, LinearModel& model);

// The target column, checked to exist. `target column "y" not found in the training data`.
absl::StatusOr<const Column*> TargetColumn(const Frame& frame, const std::string& target,
                                           std::string_view what);

// Numeric regression targets (no missing values).
absl::StatusOr<std::vector<double>> RegressionTargets(const Column& column, std::string_view what);

// Sets model.classes (+ integer_classes, class_ints) from the training target.
absl::Status FitClasses(const Column& column, LinearModel& model);

// The class index of every row; kInvalidArgument for missing values and unknown classes.
absl::StatusOr<std::vector<int64_t>> ClassLabels(const Column& column, const LinearModel& model,
                                                 std::string_view what);

}  // namespace ferry::runtime
