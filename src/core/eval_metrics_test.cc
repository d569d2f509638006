#include "core/eval_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ferry {
namespace {

// Expected values were computed once with Debian's python3-sklearn 1.2.1:
//   from sklearn import metrics as m
//   m.roc_auc_score(yt, s), m.log_loss(yt, P), m.accuracy_score(yt, yp),
//   m.f1_score(yt, yp, average="macro"), m.mean_squared_error(y, q, squared=False),
//   m.mean_absolute_error(y, q), m.r2_score(y, q)
// on the vectors below, printed with "%.17g".

const std::vector<int64_t> kBinaryTrue = {0, 1, 1, 0, 1, 1, 0, 0, 1, 0};
// Three rows tie at 0.4 (two positives, one negative) and two at 0.1.
const std::vector<double> kBinaryScore = {0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.4, 0.2, 0.65, 0.1};

TEST(EvalMetricsTest, RocAucAveragesTies) {
  EXPECT_NEAR(RocAuc(kBinaryTrue, kBinaryScore), 0.76000000000000001, 1e-15);
  // Perfect and inverted rankings.
  EXPECT_DOUBLE_EQ(RocAuc({0, 0, 1, 1}, {0.1, 0.2, 0.3, 0.4}), 1.0);
  EXPECT_DOUBLE_EQ(RocAuc({0, 0, 1, 1}, {0.4, 0.3, 0.2, 0.1}), 0.0);
  // All scores equal: every pair is a tie.
  EXPECT_DOUBLE_EQ(RocAuc({0, 1, 0, 1}, {0.5, 0.5, 0.5, 0.5}), 0.5);
  EXPECT_TRUE(std::isnan(RocAuc({1, 1}, {0.2, 0.3})));
}

TEST(EvalMetricsTest, BinaryClassificationMatchesSklearn) {
  std::vector<double> proba;
  std::vector<int64_t> pred;
  for (double s : kBinaryScore) {
    proba.push_back(1 - s);
    proba.push_back(s);
    pred.push_back(s >= 0.4 ? 1 : 0);
  }
  EXPECT_NEAR(LogLoss(kBinaryTrue, proba, 2), 0.59726751388272215, 1e-15);
  EXPECT_NEAR(Accuracy(kBinaryTrue, pred), 0.7, 1e-15);
  EXPECT_NEAR(F1Macro(kBinaryTrue, pred), 0.69696969696969679, 1e-15);
}

TEST(EvalMetricsTest, MulticlassMatchesSklearn) {
  std::vector<int64_t> y_true = {0, 1, 2, 2, 1, 0, 2, 1, 0, 2};
  std::vector<int64_t> y_pred = {0, 2, 2, 2, 1, 0, 1, 1, 0, 0};
  std::vector<double> proba = {.7, .2, .1, .1, .3, .6, .2,  .2, .6,  .1, .1, .8, .3, .5, .2,
                               .6, .3, .1, .2, .5, .3, .25, .5, .25, .5, .4, .1, .4, .3, .3};
  EXPECT_NEAR(Accuracy(y_true, y_pred), 0.7, 1e-15);
  EXPECT_NEAR(F1Macro(y_true, y_pred), 0.69841269841269848, 1e-15);
  EXPECT_NEAR(LogLoss(y_true, proba, 3), 0.72928296974425666, 1e-15);
  // A class that is predicted but never true still counts (F1 0): (1 + 2/3 + 0) / 3.
  EXPECT_NEAR(F1Macro({0, 0, 1, 1}, {0, 3, 1, 1}), 0.55555555555555547, 1e-15);
}

TEST(EvalMetricsTest, LogLossClipsZeroProbability) {
  EXPECT_NEAR(LogLoss({0}, {0.0, 1.0}, 2), -std::log(1e-15), 1e-9);
}

TEST(EvalMetricsTest, RegressionMatchesSklearn) {
  std::vector<double> y = {3, -0.5, 2, 7, 4.2};
  std::vector<double> q = {2.5, 0.0, 2, 8, 3.9};
  EXPECT_NEAR(Rmse(y, q), 0.56391488719486738, 1e-15);
  EXPECT_NEAR(Mae(y, q), 0.46000000000000008, 1e-15);
  EXPECT_NEAR(R2(y, q), 0.9480256276150627, 1e-15);
}

TEST(EvalMetricsTest, R2OfConstantTarget) {
  EXPECT_EQ(R2({2, 2, 2}, {2, 2, 2}), 1.0);
  EXPECT_EQ(R2({2, 2, 2}, {2, 2, 3}), 0.0);
}

}  // namespace
}  // namespace ferry
