#pragma once
// Evaluation metrics for the xgboost trainer. Local to this library because the shared
// runtime/eval_metrics was written in parallel; the two should be merged.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ferry::runtime::xgb {

// Fraction of rows where `predicted` equals `actual` (class indices). NaN for no rows.
double Accuracy(const std::vector<int>& actual, const std::vector<int>& predicted);
// Area under the ROC curve of `score` for `positive` (0/1), ties counted half (the
// Mann-Whitney statistic). NaN when one class is absent.
double RocAuc(const std::vector<int>& positive, const std::vector<double>& score);
// Mean of -log(p[row][actual[row]]), with p clipped to [1e-15, 1 - 1e-15] as sklearn does.
// `probs` is row-major rows x classes.
double LogLoss(const std::vector<int>& actual, const std::vector<double>& probs, size_t classes);
double Rmse(const std::vector<double>& actual, const std::vector<double>& predicted);
// 1 - SS_res / SS_tot; NaN when the actual values are constant.
double R2(const std::vector<double>& actual, const std::vector<double>& predicted);

}  // namespace ferry::runtime::xgb
