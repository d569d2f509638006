#include "core/eval_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace ferry {

double Accuracy(const std::vector<int64_t>& y_true, const std::vector<int64_t>& y_pred) {
  size_t hits = 0;
  for (size_t i = 0; i < y_true.size(); ++i) hits += y_true[i] == y_pred[i];
  return static_cast<double>(hits) / static_cast<double>(y_true.size());
}

double RocAuc(const std::vector<int64_t>& y_true, const std::vector<double>& score) {
  size_t n = y_true.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  // Sum of the (1-based, tie-averaged) ranks of the positives.
  double rank_sum = 0;
  size_t positives = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && score[order[j]] == score[order[i]]) ++j;
    double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k) {
      if (y_true[order[k]] == 1) {
        rank_sum += avg_rank;
        ++positives;
      }
    }
    i = j;
  }
  size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  double p = static_cast<double>(positives), q = static_cast<double>(negatives);
  return (rank_sum - p * (p + 1) / 2) / (p * q);
}

double LogLoss(const std::vector<int64_t>& y_true, const std::vector<double>& proba,
               size_t n_classes) {
  constexpr double kEps = 1e-15;
  double sum = 0;
  for (size_t i = 0; i < y_true.size(); ++i) {
    double p = proba[i * n_classes + static_cast<size_t>(y_true[i])];
    sum -= std::log(std::clamp(p, kEps, 1 - kEps));
  }
  return sum / static_cast<double>(y_true.size());
}

double F1Macro(const std::vector<int64_t>& y_true, const std::vector<int64_t>& y_pred) {
  struct Counts {
    size_t tp = 0, fp = 0, fn = 0;
  };
  std::map<int64_t, Counts> per_class;
  for (size_t i = 0; i < y_true.size(); ++i) {
    if (y_true[i] == y_pred[i]) {
      ++per_class[y_true[i]].tp;
    } else {
      ++per_class[y_true[i]].fn;
      ++per_class[y_pred[i]].fp;
    }
  }
  double sum = 0;
  for (const auto& [label, c] : per_class) {
    // F1 = 2tp / (2tp + fp + fn); the denominator is > 0 for every class seen.
    sum += 2.0 * static_cast<double>(c.tp) / static_cast<double>(2 * c.tp + c.fp + c.fn);
  }
  return sum / static_cast<double>(per_class.size());
}

double Rmse(const std::vector<double>& y_true, const std::vector<double>& y_pred) {
  double sum = 0;
  for (size_t i = 0; i < y_true.size(); ++i) {
    double d = y_true[i] - y_pred[i];
    sum += d * d;
  }
  return std::sqrt(sum / static_cast<double>(y_true.size()));
}

double Mae(const std::vector<double>& y_true, const std::vector<double>& y_pred) {
  double sum = 0;
  for (size_t i = 0; i < y_true.size(); ++i) sum += std::abs(y_true[i] - y_pred[i]);
  return sum / static_cast<double>(y_true.size());
}

double R2(const std::vector<double>& y_true, const std::vector<double>& y_pred) {
  double mean =
      std::accumulate(y_true.begin(), y_true.end(), 0.0) / static_cast<double>(y_true.size());
  double ss_res = 0, ss_tot = 0;
  for (size_t i = 0; i < y_true.size(); ++i) {
    ss_res += (y_true[i] - y_pred[i]) * (y_true[i] - y_pred[i]);
    ss_tot += (y_true[i] - mean) * (y_true[i] - mean);
  }
  if (ss_tot == 0) return ss_res == 0 ? 1.0 : 0.0;
  return 1 - ss_res / ss_tot;
}

}  // namespace ferry
