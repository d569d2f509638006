#pragma once
// Exports an xgboost tree model as dependency-free C99 source (only <math.h> and <stddef.h>),
// for embedding a model in firmware or a program without libxgboost.
//
// Writes <out_dir>/<prefix>.h and <out_dir>/<prefix>.c with
//   int <prefix>_predict(const double* features, size_t n_features, double* out);
// which returns 0 and writes <PREFIX>_N_OUTPUTS values to `out`, or -1 (writing nothing)
// when `n_features` is not <PREFIX>_N_FEATURES or a pointer is NULL. The values are those of
// xgboost's prediction: P(class 1) for binary:logistic, one probability per class for
// multi:softprob, the class index for multi:softmax, and the prediction for regression
// objectives (reg:squarederror and other identity links, reg:logistic).
//
// Semantics follow xgboost 1.7's CPU predictor: each feature is cast to float before it is
// compared with the (float) split condition, a row goes to the "yes" child when value <
// condition, NaN follows the node's default ("missing") child, margins start at the base
// score (as a margin) and the leaf values are summed in float in tree order; then the link
// (sigmoid, softmax) is applied in float.

#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::runtime::xgboost {

// `model_dir` is anything the xgboost family loads (xgboost_model.h). `prefix` must be a C
// identifier. kInvalidArgument for a bad prefix, kUnimplemented for boosters or objectives
// the generator does not reproduce (gblinear, dart, categorical splits, other links).
absl::Status ExportTreesC(const std::string& model_dir, const std::string& out_dir,
                          std::string_view prefix);

}  // namespace ferry::runtime::xgboost
