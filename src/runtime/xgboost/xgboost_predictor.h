#pragma once
// The xgboost Predictor: inplace prediction (XGBoosterPredictFromDense) on the request's
// values. xgboost converts them to float32 itself, exactly as in training.

#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/predictor.h"
#include "runtime/xgboost/xgboost_model.h"

namespace ferry::runtime::xgboost {

// Loads `dir` (see LoadModelDir) into a Predictor. `column_hint` names the features of a bare
// xgboost model (from the package schema); it may be empty.
absl::StatusOr<PredictorPtr> LoadXgboostPredictor(const std::string& dir,
                                                  const std::vector<std::string>& column_hint);

// Raw xgboost output for `rows` x F doubles: rows values (binary, regression, class index) or
// rows x C probabilities. Thread-safe.
absl::StatusOr<std::vector<float>> PredictDense(const Booster& booster, const double* values,
                                                size_t rows, size_t cols);

}  // namespace ferry::runtime::xgboost
