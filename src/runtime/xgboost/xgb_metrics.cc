#include "runtime/xgboost/xgb_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ferry::runtime::xgb {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double Accuracy(const std::vector<int>& actual, const std::vector<int>& predicted) {
  if (actual.empty()) return kNaN;
  size_t hits = 0;
  for (size_t i = 0; i < actual.size(); ++i) hits += actual[i] == predicted[i];
  return static_cast<double>(hits) / static_cast<double>(actual.size());
}

double RocAuc(const std::vector<int>& positive, const std::vector<double>& score) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  double rank_sum = 0;  // sum of (1-based, tie-averaged) ranks of the positives
  size_t n_pos = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) ++j;
    const double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (positive[order[k]]) {
        rank_sum += avg_rank;
        ++n_pos;
      }
    }
    i = j;
  }
  const size_t n_neg = score.size() - n_pos;
  if (n_pos == 0 || n_neg == 0) return kNaN;
  const double np = static_cast<double>(n_pos);
  return (rank_sum - np * (np + 1) / 2.0) / (np * static_cast<double>(n_neg));
}

double LogLoss(const std::vector<int>& actual, const std::vector<double>& probs, size_t classes) {
  if (actual.empty()) return kNaN;
  double sum = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    double p = probs[i * classes + static_cast<size_t>(actual[i])];
    p = std::clamp(p, 1e-15, 1 - 1e-15);
    sum -= std::log(p);
  }
  return sum / static_cast<double>(actual.size());
}

double Rmse(const std::vector<double>& actual, const std::vector<double>& predicted) {
  if (actual.empty()) return kNaN;
  double sum = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double d = actual[i] - predicted[i];
    sum += d * d;
  }
  return std::sqrt(sum / static_cast<double>(actual.size()));
}

double R2(const std::vector<double>& actual, const std::vector<double>& predicted) {
  if (actual.empty()) return kNaN;
  const double mean =
      std::accumulate(actual.begin(), actual.end(), 0.0) / static_cast<double>(actual.size());
  double ss_res = 0, ss_tot = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    ss_res += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
    ss_tot += (actual[i] - mean) * (actual[i] - mean);
  }
  if (ss_tot == 0) return kNaN;
  return 1.0 - ss_res / ss_tot;
}

}  // namespace ferry::runtime::xgb
