#include "runtime/linear_trainer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "common/logging.h"
#include "core/eval_metrics.h"
#include "runtime/linear_data.h"
#include "runtime/linear_solver.h"
#include "runtime/mlflow_export/mlflow_export.h"

namespace ferry::runtime {
namespace {

std::string FormatDouble(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

// Shortest round-trip spelling, so a recorded parameter reproduces the run exactly.
std::string ParamDouble(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, r.ptr);
}

// Runs `model` on `frame` and adds its metrics, names prefixed with `prefix`.
absl::StatusOr<LinearEvaluation> Evaluate(const LinearModel& model, const Frame& frame,
                                          std::string_view what, std::string_view prefix,
                                          std::map<std::string, double>& metrics) {
  ASSIGN_OR_RETURN(std::vector<double> x, FeatureMatrix(frame, model.features, what));
  ASSIGN_OR_RETURN(const Column* target, TargetColumn(frame, model.target, what));
  size_t n = frame.rows();
  LinearEvaluation eval;
  model.Predict(x.data(), n, eval.values, eval.labels);
  std::string p(prefix);
  if (!model.logistic) {
    ASSIGN_OR_RETURN(std::vector<double> y, RegressionTargets(*target, what));
    metrics[p + "rmse"] = Rmse(y, eval.values);
    metrics[p + "mae"] = Mae(y, eval.values);
    metrics[p + "r2"] = R2(y, eval.values);
    return eval;
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> y, ClassLabels(*target, model, what));
  size_t c = model.n_classes();
  metrics[p + "accuracy"] = Accuracy(y, eval.labels);
  metrics[p + "log_loss"] = LogLoss(y, eval.values, c);
  metrics[p + "f1_macro"] = F1Macro(y, eval.labels);
  if (c == 2) {
    std::vector<double> score(n);
    for (size_t i = 0; i < n; ++i) score[i] = eval.values[i * 2 + 1];
    double auc = RocAuc(y, score);
    if (!std::isnan(auc)) metrics[p + "roc_auc"] = auc;
  }
  return eval;
}

// Fits the coefficients of `model` (whose standardiser and classes are set) on the
// standardised training matrix `xs`.
absl::Status Fit(const std::vector<double>& xs, const Column& target, const LinearParams& params,
                 const TrainSpec& spec, LinearModel& model) {
  size_t n = target.size(), f = model.n_features();
  if (!model.logistic) {
    ASSIGN_OR_RETURN(std::vector<double> y, RegressionTargets(target, "training"));
    ASSIGN_OR_RETURN(LinearSolution sol, SolveRidge(xs, n, f, y, params.l2));
    model.coef = std::move(sol.coef);
    model.intercept = std::move(sol.intercept);
    ReportTraining(spec, 1, 1, "solved");
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> y, ClassLabels(target, model, "training"));
  LbfgsOptions options;
  options.max_iter = params.max_iter;
  options.tol = params.tol;
  if (spec.progress) {
    options.on_iteration = [&](int iter, double objective) {
      const std::string detail = "iteration " + std::to_string(iter) + "/" +
                                 std::to_string(params.max_iter) + ", objective " +
                                 FormatDouble(objective);
      ReportTraining(spec, iter, params.max_iter, detail);
    };
  }
  LinearSolution sol = SolveLogistic(xs, n, f, y, model.n_classes(), params.l2, options);
  if (!sol.converged) {
    LogWarn("logistic regression did not converge; raise max_iter or tol",
            {{"max_iter", std::to_string(params.max_iter)}});
  }
  if (spec.progress) {
    const std::string detail = "converged after " + std::to_string(sol.iterations) + " iterations";
    ReportTraining(spec, params.max_iter, params.max_iter, detail);
  }
  model.coef = std::move(sol.coef);
  model.intercept = std::move(sol.intercept);
  return absl::OkStatus();
}

std::map<std::string, std::string> UsedParams(const LinearParams& params,
                                              const std::vector<std::string>& features) {
  std::string joined;
  for (const std::string& name : features) joined += (joined.empty() ? "" : ",") + name;
  return {{"l2", ParamDouble(params.l2)},
          {"max_iter", std::to_string(params.max_iter)},
          {"tol", ParamDouble(params.tol)},
          {"features", joined}};
}

}  // namespace

absl::StatusOr<TrainResult> LinearTrainer::Train(const TrainSpec& spec) {
  model_ = LinearModel();
  test_eval_ = LinearEvaluation();
  model_.logistic = logistic_;
  std::string_view family = model_.family();
  ASSIGN_OR_RETURN(LinearParams params, ParseLinearParams(spec.params, family));
  if (spec.train == nullptr || spec.train->rows() == 0) {
    return absl::InvalidArgumentError("the training data has no rows");
  }
  const Frame& train = *spec.train;
  ASSIGN_OR_RETURN(const Column* target, TargetColumn(train, spec.target, "training"));
  model_.target = spec.target;
  ASSIGN_OR_RETURN(model_.features, ResolveFeatures(train, params.features, spec.target));
  ASSIGN_OR_RETURN(std::vector<double> xs, FeatureMatrix(train, model_.features, "training"));
  FitStandardizer(xs, train.rows(), model_.n_features(), model_);
  if (logistic_) RETURN_IF_ERROR(FitClasses(*target, model_));
  RETURN_IF_ERROR(Fit(xs, *target, params, spec, model_));

  TrainResult result;
  RETURN_IF_ERROR(Evaluate(model_, train, "training", "train_", result.metrics).status());
  if (spec.test != nullptr && spec.test->rows() > 0) {
    ASSIGN_OR_RETURN(test_eval_, Evaluate(model_, *spec.test, "test", "", result.metrics));
  }
  RETURN_IF_ERROR(WriteLinearModel(model_, spec.output_dir));
  // Beside model.json: MLmodel and its loader, for mlflow.pyfunc.load_model.
  RETURN_IF_ERROR(mlflow_export::WriteMlflowModel(spec.output_dir, model_.Schema(),
                                                  mlflow_export::LinearPyfunc()));
  result.schema = model_.Schema();
  result.params = UsedParams(params, model_.features);
  result.format = std::string(kLinearModelFormat);
  return result;
}

}  // namespace ferry::runtime
