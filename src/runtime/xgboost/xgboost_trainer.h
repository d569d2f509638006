#pragma once
// Trains gradient-boosted trees with libxgboost.
//
// Features: every numeric column except the target (text columns are skipped); NaN is a
// missing value. Target: a numeric column without missing values.
//
// Parameters (defaults in brackets): n_estimators [100], max_depth [6], eta or learning_rate
// [0.3], subsample [1], colsample_bytree [1], min_child_weight [1], lambda [1], alpha [0],
// gamma [0], seed [0], nthread [0 = all cores], task [auto: classification when the target
// holds at most 20 distinct integers, else regression], objective [binary:logistic for 2
// classes, multi:softprob for more, reg:squarederror for regression].
//
// Writes model.ubj and ferry-xgboost.json (xgboost_model.h). Metrics on the test rows (and on
// the train rows with "train_"): accuracy, log_loss, roc_auc (2 classes) for classifiers;
// rmse, r2 for regression. Test rows whose label was not seen in training are left out of
// the classifier metrics.

#include "runtime/trainer.h"

namespace ferry::runtime::xgboost {

TrainerPtr NewXgboostTrainer();

}  // namespace ferry::runtime::xgboost
