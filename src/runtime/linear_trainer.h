#pragma once
// Trainer of the linear (ridge regression) and logistic (binary / multinomial, L2) families.
//
// Parameters (all optional):
//   l2        L2 penalty >= 0 on the coefficients of the standardised features (default 1).
//             Linear: scikit-learn's Ridge(alpha=l2). Logistic: LogisticRegression(C=1/l2),
//             so the default equals scikit-learn's C=1.
//   max_iter  logistic: L-BFGS iterations, integer >= 1 (default 1000); ignored by linear.
//   tol       logistic: stop when every gradient component of the mean loss is <= tol
//             (default 1e-6); ignored by linear.
//   features  comma-separated feature columns, in input order (default: every numeric
//             column except the target, in file order).
// Features are standardised with the mean and population standard deviation of the training
// rows (a constant feature gets scale 1 and coefficient 0); both are stored in model.json,
// so predictors take raw values. Classes are the distinct target values of the training rows,
// sorted (numerically for a numeric target). Missing or non-finite feature values and missing
// targets are errors, as are test targets that are not training classes.
//
// Metrics: logistic accuracy, roc_auc (binary only, when both classes occur), log_loss,
// f1_macro; linear rmse, mae, r2. On the test rows and, prefixed "train_", the training rows.

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/linear_model.h"
#include "runtime/trainer.h"

namespace ferry::runtime {

// A model's outputs on a frame, as LinearModel::Predict returns them.
struct LinearEvaluation {
  std::vector<double> values;   // predictions (linear) or n x C probabilities (logistic)
  std::vector<int64_t> labels;  // logistic: predicted class indices
};

class LinearTrainer : public Trainer {
 public:
  explicit LinearTrainer(bool logistic) : logistic_(logistic) {}

  // Trainer
  absl::StatusOr<TrainResult> Train(const TrainSpec& spec) override;

  // After a successful Train: the fitted model and its outputs on the test rows (for tests
  // and diagnostics).
  const LinearModel& model() const { return model_; }
  const LinearEvaluation& test_evaluation() const { return test_eval_; }

 private:
  bool logistic_;
  LinearModel model_;
  LinearEvaluation test_eval_;
};

}  // namespace ferry::runtime
