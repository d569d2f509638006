#pragma once
// The numerical core of the linear and logistic trainers, on standardised features
// (row-major n x F, each column of mean 0 and variance 1 or exactly 0 for constant ones).
//
// Ridge:    minimise sum_i (y_i - b - w . x_i)^2 + l2 * |w|^2  (scikit-learn's Ridge(alpha=l2))
// Logistic: minimise sum_i -log p(y_i | x_i) + l2/2 * |W|^2      (LogisticRegression(C=1/l2))
// The intercepts are not penalised. Both objectives are the ones scikit-learn minimises, so
// their coefficients agree with it for the same standardisation.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry::runtime {

struct LinearSolution {
  std::vector<double> coef;       // K x F, row-major
  std::vector<double> intercept;  // K
  int iterations = 0;
  bool converged = true;
  double objective = 0;
};

// Closed form through the Cholesky factor of X'X + l2 I. Constant columns get coefficient 0.
// kInvalidArgument when the system is singular (l2 = 0 with collinear features).
absl::StatusOr<LinearSolution> SolveRidge(const std::vector<double>& x, size_t n, size_t f,
                                          const std::vector<double>& y, double l2);

struct LbfgsOptions {
  int max_iter = 1000;
  // Stop when every component of the gradient of the mean loss is at most `tol`.
  double tol = 1e-6;
  // Called after every iteration with the iteration number and the objective.
  std::function<void(int iteration, double objective)> on_iteration;
};

// Binary (n_classes == 2: one coefficient row for class 1, as scikit-learn) or multinomial
// softmax (one row per class) logistic regression by L-BFGS with a backtracking line search.
// `labels` are class indices in [0, n_classes). Returns converged = false when max_iter ran
// out first (the coefficients are still the best found).
LinearSolution SolveLogistic(const std::vector<double>& x, size_t n, size_t f,
                             const std::vector<int64_t>& labels, size_t n_classes, double l2,
                             const LbfgsOptions& options);

}  // namespace ferry::runtime
