#include "runtime/linear_solver.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <numeric>

namespace ferry::runtime {
namespace {

double Dot(const std::vector<double>& a, const std::vector<double>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

// In-place Cholesky of the symmetric positive definite m x m matrix `a` (lower triangle).
bool Cholesky(std::vector<double>& a, size_t m) {
  for (size_t j = 0; j < m; ++j) {
    double d = a[j * m + j];
    for (size_t k = 0; k < j; ++k) d -= a[j * m + k] * a[j * m + k];
    if (!(d > 1e-12 * std::max(1.0, std::abs(a[j * m + j])))) return false;
    a[j * m + j] = std::sqrt(d);
    for (size_t i = j + 1; i < m; ++i) {
      double s = a[i * m + j];
      for (size_t k = 0; k < j; ++k) s -= a[i * m + k] * a[j * m + k];
      a[i * m + j] = s / a[j * m + j];
    }
  }
  return true;
}

// Solves L L' v = b given the factor from Cholesky.
std::vector<double> CholeskySolve(const std::vector<double>& l, size_t m, std::vector<double> b) {
  for (size_t i = 0; i < m; ++i) {
    for (size_t k = 0; k < i; ++k) b[i] -= l[i * m + k] * b[k];
    b[i] /= l[i * m + i];
  }
  for (size_t i = m; i-- > 0;) {
    for (size_t k = i + 1; k < m; ++k) b[i] -= l[k * m + i] * b[k];
    b[i] /= l[i * m + i];
  }
  return b;
}

// The logistic objective and its gradient over theta = [W (K x F), b (K)].
class LogisticObjective {
 public:
  LogisticObjective(const std::vector<double>& x, size_t n, size_t f,
                    const std::vector<int64_t>& labels, size_t n_classes, double l2)
      : x_(x), n_(n), f_(f), labels_(labels), k_(n_classes == 2 ? 1 : n_classes), l2_(l2) {}

  size_t dim() const { return k_ * (f_ + 1); }

  double Evaluate(const std::vector<double>& theta, std::vector<double>& grad) const {
    grad.assign(dim(), 0);
    double loss = 0;
    std::vector<double> z(k_);
    for (size_t i = 0; i < n_; ++i) {
      const double* xi = &x_[i * f_];
      for (size_t k = 0; k < k_; ++k) {
        z[k] = theta[k_ * f_ + k] + std::inner_product(xi, xi + f_, &theta[k * f_], 0.0);
      }
      loss += k_ == 1 ? BinaryResidual(z, labels_[i]) : SoftmaxResidual(z, labels_[i]);
      for (size_t k = 0; k < k_; ++k) {
        for (size_t j = 0; j < f_; ++j) grad[k * f_ + j] += z[k] * xi[j];
        grad[k_ * f_ + k] += z[k];
      }
    }
    double penalty = 0;
    for (size_t j = 0; j < k_ * f_; ++j) {
      penalty += theta[j] * theta[j];
      grad[j] += l2_ * theta[j];
    }
    return loss + 0.5 * l2_ * penalty;
  }

 private:
  // Returns the loss of one row and replaces z[0] by dloss/dz.
  static double BinaryResidual(std::vector<double>& z, int64_t y) {
    double v = z[0];
    double softplus = std::max(v, 0.0) + std::log1p(std::exp(-std::abs(v)));
    double p = v >= 0 ? 1 / (1 + std::exp(-v)) : std::exp(v) / (1 + std::exp(v));
    z[0] = p - static_cast<double>(y);
    return softplus - (y == 1 ? v : 0);
  }
  // Returns the loss of one row and replaces z by p - onehot(y).
  static double SoftmaxResidual(std::vector<double>& z, int64_t y) {
    double max = *std::max_element(z.begin(), z.end());
    double sum = 0;
    for (double v : z) sum += std::exp(v - max);
    double lse = max + std::log(sum);
    double loss = lse - z[static_cast<size_t>(y)];
    for (double& v : z) v = std::exp(v - lse);
    z[static_cast<size_t>(y)] -= 1;
    return loss;
  }

  const std::vector<double>& x_;
  size_t n_, f_;
  const std::vector<int64_t>& labels_;
  size_t k_;
  double l2_;
};

// The L-BFGS direction -H g from the stored pairs (two-loop recursion).
std::vector<double> Direction(const std::vector<double>& g,
                              const std::deque<std::vector<double>>& s,
                              const std::deque<std::vector<double>>& y) {
  std::vector<double> q = g;
  std::vector<double> alpha(s.size());
  for (size_t i = s.size(); i-- > 0;) {
    alpha[i] = Dot(s[i], q) / Dot(y[i], s[i]);
    for (size_t j = 0; j < q.size(); ++j) q[j] -= alpha[i] * y[i][j];
  }
  double gamma = s.empty() ? 1.0 : Dot(s.back(), y.back()) / Dot(y.back(), y.back());
  for (double& v : q) v *= gamma;
  for (size_t i = 0; i < s.size(); ++i) {
    double beta = Dot(y[i], q) / Dot(y[i], s[i]);
    for (size_t j = 0; j < q.size(); ++j) q[j] += (alpha[i] - beta) * s[i][j];
  }
  for (double& v : q) v = -v;
  return q;
}

double MaxAbs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::abs(x));
  return m;
}

}  // namespace

absl::StatusOr<LinearSolution> SolveRidge(const std::vector<double>& x, size_t n, size_t f,
                                          const std::vector<double>& y, double l2) {
  std::vector<double> xmean(f, 0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < f; ++j) xmean[j] += x[i * f + j];
  }
  for (double& v : xmean) v /= static_cast<double>(n);
  double ymean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
  std::vector<double> a(f * f, 0), b(f, 0), row(f);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < f; ++j) row[j] = x[i * f + j] - xmean[j];
    for (size_t j = 0; j < f; ++j) {
      b[j] += row[j] * (y[i] - ymean);
      for (size_t k = 0; k <= j; ++k) a[j * f + k] += row[j] * row[k];
    }
  }
  for (size_t j = 0; j < f; ++j) {
    // A constant column is all zeros: give it a unit pivot so its coefficient solves to 0.
    a[j * f + j] += a[j * f + j] == 0 ? 1.0 : l2;
  }
  if (!Cholesky(a, f)) {
    return absl::InvalidArgumentError(
        "the features are collinear, so the least-squares problem has no unique solution; "
        "set param \"l2\" > 0 or drop features");
  }
  LinearSolution sol;
  sol.coef = CholeskySolve(a, f, b);
  sol.intercept = {ymean - Dot(sol.coef, xmean)};
  return sol;
}

LinearSolution SolveLogistic(const std::vector<double>& x, size_t n, size_t f,
                             const std::vector<int64_t>& labels, size_t n_classes, double l2,
                             const LbfgsOptions& options) {
  constexpr size_t kMemory = 10;
  constexpr double kEps = std::numeric_limits<double>::epsilon();
  LogisticObjective objective(x, n, f, labels, n_classes, l2);
  std::vector<double> theta(objective.dim(), 0), grad, next, next_grad;
  double value = objective.Evaluate(theta, grad);
  std::deque<std::vector<double>> s_hist, y_hist;
  double stop = options.tol * static_cast<double>(n);
  LinearSolution sol;
  sol.converged = false;
  int stalled = 0;
  for (int iter = 1; iter <= options.max_iter; ++iter) {
    if (MaxAbs(grad) <= stop) {
      sol.converged = true;
      break;
    }
    std::vector<double> dir = Direction(grad, s_hist, y_hist);
    double slope = Dot(dir, grad);
    if (slope >= 0) {  // not a descent direction (rounding): restart from steepest descent
      s_hist.clear();
      y_hist.clear();
      dir = grad;
      for (double& v : dir) v = -v;
      slope = Dot(dir, grad);
    }
    double step = s_hist.empty() ? std::min(1.0, 1.0 / std::sqrt(Dot(grad, grad))) : 1.0;
    double next_value = value;
    bool moved = false;
    for (int tries = 0; tries < 60; ++tries, step *= 0.5) {
      next = theta;
      for (size_t j = 0; j < next.size(); ++j) next[j] += step * dir[j];
      next_value = objective.Evaluate(next, next_grad);
      if (next_value <= value + 1e-4 * step * slope) {
        moved = true;
        break;
      }
    }
    sol.iterations = iter;
    // The objective no longer decreases beyond rounding (a few ulps): the gradient cannot get
    // smaller in double precision, so this is as converged as it gets.
    stalled = moved && value - next_value <= 4 * kEps * std::abs(value) ? stalled + 1 : 0;
    if (!moved || stalled >= 5) {
      sol.converged = true;
      if (moved) theta.swap(next);
      break;
    }
    std::vector<double> s(theta.size()), yv(theta.size());
    for (size_t j = 0; j < s.size(); ++j) {
      s[j] = next[j] - theta[j];
      yv[j] = next_grad[j] - grad[j];
    }
    if (Dot(s, yv) > 1e-12 * Dot(yv, yv)) {
      s_hist.push_back(std::move(s));
      y_hist.push_back(std::move(yv));
      if (s_hist.size() > kMemory) {
        s_hist.pop_front();
        y_hist.pop_front();
      }
    }
    theta.swap(next);
    grad.swap(next_grad);
    value = next_value;
    if (options.on_iteration) options.on_iteration(iter, value);
  }
  if (!sol.converged && MaxAbs(grad) <= stop) sol.converged = true;
  size_t k_rows = objective.dim() / (f + 1);
  sol.coef.assign(theta.begin(), theta.begin() + static_cast<ptrdiff_t>(k_rows * f));
  sol.intercept.assign(theta.begin() + static_cast<ptrdiff_t>(k_rows * f), theta.end());
  sol.objective = value;
  return sol;
}

}  // namespace ferry::runtime
