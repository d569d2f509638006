#pragma once
// Evaluation metrics with scikit-learn's definitions. Classes are indices 0..C-1.
// Each function needs non-empty inputs of matching sizes (callers guarantee it); a metric
// that is undefined for the data (AUC with one class present) returns NaN.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ferry {

// Fraction of rows with y_pred == y_true.
double Accuracy(const std::vector<int64_t>& y_true, const std::vector<int64_t>& y_pred);

// Area under the ROC curve for binary labels (0/1) and scores for class 1; tied scores
// count one half (the Mann-Whitney U statistic). NaN unless both classes are present.
double RocAuc(const std::vector<int64_t>& y_true, const std::vector<double>& score);

// Mean negative log-likelihood of the true class. `proba` is row-major [n, n_classes];
// probabilities are clipped to [1e-15, 1 - 1e-15] as scikit-learn did before 1.3.
double LogLoss(const std::vector<int64_t>& y_true, const std::vector<double>& proba,
               size_t n_classes);

// Unweighted mean of per-class F1 over the classes that occur in y_true or y_pred; a class
// with no true and no predicted positives cannot occur, and one with precision and recall
// both 0 scores 0 (scikit-learn's zero_division=0 behaviour).
double F1Macro(const std::vector<int64_t>& y_true, const std::vector<int64_t>& y_pred);

double Rmse(const std::vector<double>& y_true, const std::vector<double>& y_pred);
double Mae(const std::vector<double>& y_true, const std::vector<double>& y_pred);
// Coefficient of determination. When y_true is constant: 1 for a perfect fit, else 0.
double R2(const std::vector<double>& y_true, const std::vector<double>& y_pred);

}  // namespace ferry
