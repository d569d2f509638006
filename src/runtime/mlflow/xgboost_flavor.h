#pragma once
// The native backend of MLflow's `xgboost` flavor: loads the flavor's model file (model.xgb
// in xgboost's binary format, or .json/.ubj) with libxgboost and answers as MLflow's
// `mlflow.pyfunc.load_model(dir).predict(df)` does, without Python:
//   XGBClassifier / XGBRFClassifier -> class labels, INT64 [N] (P > 0.5 for binary, the first
//                                      maximum of the class probabilities otherwise)
//   XGBRegressor / XGBRFRegressor   -> values, FP64 [N]
//   xgboost.core.Booster            -> the booster's raw prediction, FP64 [N] or [N, C]
// Inputs follow the signature: one FP64-compatible column each, assembled into the [N, F]
// matrix in the booster's feature order when it stores feature names (by name), else in
// signature order; or one [N, F] tensor. Without a signature: one input "input" [-1, F]
// whose columns are the booster's features (Ferry's tabular shape).

#include <string>

#include "common/status.h"
#include "runtime/mlflow/mlmodel.h"
#include "runtime/predictor.h"

namespace ferry::runtime::mlflow {

// Loads the xgboost flavor of `m`, read from `model_dir`. kInvalidArgument naming the file
// when it cannot be loaded or does not fit the signature (feature count, unknown column).
absl::StatusOr<PredictorPtr> LoadXgboostFlavor(const MlModel& m, const std::string& model_dir);

}  // namespace ferry::runtime::mlflow
