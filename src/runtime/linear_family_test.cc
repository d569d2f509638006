#include "runtime/linear_family.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/eval_metrics.h"
#include "runtime/split.h"
#include "runtime/testing/linear_test_util.h"

namespace ferry::runtime {
namespace {

using testing::LoadDataSet;
using testing::TrainOn;

// Rows of `frame` as the predictor's input tensor, features in `names` order.
Tensor InputTensor(const Frame& frame, const std::vector<std::string>& names) {
  std::vector<double> v;
  for (size_t i = 0; i < frame.rows(); ++i) {
    for (const std::string& name : names) v.push_back(frame.Find(name)->numbers[i]);
  }
  return MakeFp64Tensor(
      "input", {static_cast<int64_t>(frame.rows()), static_cast<int64_t>(names.size())}, v);
}

std::vector<Tensor> PredictLoaded(const Family& family, const std::string& dir,
                                  const ModelSchema& schema, const Frame& rows) {
  auto predictor = family.Load(ModelFiles{dir, schema});
  EXPECT_TRUE(predictor.ok()) << predictor.status();
  if (!predictor.ok()) return {};
  std::vector<Tensor> inputs = {InputTensor(rows, schema.inputs[0].columns)};
  EXPECT_TRUE(CheckInputs((*predictor)->schema(), inputs).ok());
  std::vector<Tensor> outputs;
  absl::Status st = (*predictor)->Predict(inputs, outputs);
  EXPECT_TRUE(st.ok()) << st;
  return outputs;
}

TEST(LogisticFamilyTest, BreastCancerQualityAndExactReload) {
  Frame data = LoadDataSet("breast_cancer.csv");
  auto split = SplitFrame(data);
  ASSERT_TRUE(split.ok());
  LinearTrainer trainer(/*logistic=*/true);
  auto t = TrainOn(trainer, split->train, &split->test);
  ASSERT_TRUE(t.result.ok()) << t.result.status();
  const auto& m = t.result->metrics;
  EXPECT_GE(m.at("accuracy"), 0.95);
  EXPECT_GE(m.at("roc_auc"), 0.98);
  EXPECT_LT(m.at("log_loss"), 0.15);
  EXPECT_GE(m.at("f1_macro"), 0.94);
  EXPECT_GE(m.at("train_accuracy"), 0.97);
  EXPECT_EQ(t.result->format, "ferry-linear");
  EXPECT_EQ(t.result->params.at("l2"), "1");
  EXPECT_EQ(t.result->schema.inputs[0].columns.size(), 30u);
  EXPECT_EQ(t.result->schema.outputs[0].datatype, DataType::kInt64);
  EXPECT_EQ(t.result->schema.outputs[1].shape, (std::vector<int64_t>{-1, 2}));

  // The loaded predictor reproduces the trainer's evaluation bit for bit.
  auto family = NewLogisticFamily();
  std::vector<Tensor> out = PredictLoaded(*family, t.dir, t.result->schema, split->test);
  ASSERT_EQ(out.size(), 2u);
  const LinearEvaluation& eval = trainer.test_evaluation();
  size_t n = split->test.rows();
  ASSERT_EQ(out[1].ElementCount(), static_cast<int64_t>(2 * n));
  for (size_t i = 0; i < 2 * n; ++i) ASSERT_EQ(out[1].As<double>()[i], eval.values[i]) << i;
  std::vector<int64_t> predicted(out[0].As<int64_t>(), out[0].As<int64_t>() + n);
  EXPECT_EQ(predicted, eval.labels);  // classes are 0 and 1, so labels are the indices
  // And the metric recomputed from the loaded predictor's outputs is the reported one.
  std::vector<int64_t> truth;
  for (double v : split->test.Find("target")->numbers) truth.push_back(static_cast<int64_t>(v));
  EXPECT_EQ(Accuracy(truth, predicted), m.at("accuracy"));
}

TEST(LogisticFamilyTest, ReportsProgressPerIteration) {
  Frame data = LoadDataSet("breast_cancer.csv");
  LinearTrainer trainer(true);
  TrainSpec spec;
  spec.train = &data;
  spec.target = "target";
  spec.output_dir = testing::NewTempDir();
  std::vector<double> fractions;
  std::string last;
  spec.progress = [&](const Progress& p) {  // the one progress type, as the CLI renders it
    EXPECT_EQ(p.label, "training");
    EXPECT_EQ(p.unit, ProgressUnit::kSteps);
    fractions.push_back(static_cast<double>(p.done) / p.total);
    last = std::string(p.detail);
  };
  ASSERT_TRUE(trainer.Train(spec).ok());
  ASSERT_GE(fractions.size(), 5u);
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_EQ(fractions.back(), 1.0);
  EXPECT_EQ(last.rfind("converged after ", 0), 0u) << last;
}

TEST(LogisticFamilyTest, WineMultinomial) {
  Frame data = LoadDataSet("wine.csv");
  auto split = SplitFrame(data);
  ASSERT_TRUE(split.ok());
  LinearTrainer trainer(true);
  auto t = TrainOn(trainer, split->train, &split->test);
  ASSERT_TRUE(t.result.ok()) << t.result.status();
  EXPECT_GE(t.result->metrics.at("accuracy"), 0.93);
  EXPECT_EQ(t.result->metrics.count("roc_auc"), 0u);  // binary only
  EXPECT_EQ(trainer.model().n_rows(), 3u);
  EXPECT_EQ(trainer.model().classes, (std::vector<std::string>{"0", "1", "2"}));

  std::vector<Tensor> out =
      PredictLoaded(*NewLogisticFamily(), t.dir, t.result->schema, split->test);
  ASSERT_EQ(out.size(), 2u);
  const LinearEvaluation& eval = trainer.test_evaluation();
  for (size_t i = 0; i < eval.values.size(); ++i) ASSERT_EQ(out[1].As<double>()[i], eval.values[i]);
  for (size_t r = 0; r < split->test.rows(); ++r) {
    double sum = 0;
    for (size_t k = 0; k < 3; ++k) sum += eval.values[r * 3 + k];
    EXPECT_NEAR(sum, 1.0, 1e-12);
  }
}

TEST(LinearFamilyTest, DiabetesQualityAndExactReload) {
  Frame data = LoadDataSet("diabetes.csv");
  auto split = SplitFrame(data);
  ASSERT_TRUE(split.ok());
  LinearTrainer trainer(false);
  auto t = TrainOn(trainer, split->train, &split->test);
  ASSERT_TRUE(t.result.ok()) << t.result.status();
  const auto& m = t.result->metrics;
  EXPECT_GE(m.at("r2"), 0.40);
  EXPECT_GT(m.at("rmse"), m.at("mae"));
  EXPECT_GE(m.at("train_r2"), 0.45);
  ASSERT_EQ(t.result->schema.outputs.size(), 1u);
  EXPECT_EQ(t.result->schema.outputs[0].datatype, DataType::kFp64);

  std::vector<Tensor> out = PredictLoaded(*NewLinearFamily(), t.dir, t.result->schema, split->test);
  ASSERT_EQ(out.size(), 1u);
  const LinearEvaluation& eval = trainer.test_evaluation();
  ASSERT_EQ(out[0].ElementCount(), static_cast<int64_t>(eval.values.size()));
  for (size_t i = 0; i < eval.values.size(); ++i) ASSERT_EQ(out[0].As<double>()[i], eval.values[i]);
  std::vector<double> y = split->test.Find("target")->numbers;
  std::vector<double> pred(out[0].As<double>(), out[0].As<double>() + y.size());
  EXPECT_EQ(R2(y, pred), m.at("r2"));
}

// Reference coefficients from scikit-learn 1.2.1 (Debian python3-sklearn), computed once on
// the whole data set (no split) with
//   Xs = StandardScaler().fit_transform(X)
//   LogisticRegression(C=1.0, tol=1e-12, max_iter=100000).fit(Xs, y)   # lbfgs
//   Ridge(alpha=1.0).fit(Xs, y)
// and printed with "%.17g". LogisticRegression(C=1) minimises sum(log loss) + |W|^2 / 2, our
// objective with l2 = 1 (see linear_solver.h), on the same standardisation.
//
// Tolerance 1e-3 for logistic: scikit-learn's lbfgs stops on its relative-decrease test
// (ftol = 64 eps) before the gradient is tiny. At its breast-cancer solution the gradient norm
// is 6.0e-4 and the Hessian's smallest eigenvalue 0.997 (checked in numpy), so its coefficients
// are within 6.1e-4 of the exact optimum; the Newton step there is at most 1.1e-4 per
// coefficient. We run to tol 1e-10, far closer. Wine's largest gradient component at the
// scikit-learn solution is 2.8e-4, with the same penalty, so the same bound applies. Ridge has
// a closed form on both sides: 1e-8 relative.
constexpr double kSklearnBreastCancerCoef[] = {
    -0.36317071884094665, -0.38770299104052891, -0.35111443761000916, -0.43555896063884653,
    -0.16176493207754175, 0.5625954840414763,   -0.85989758672181882, -0.9622217513117618,
    0.076167747135707911, 0.32218585303618713,  -1.2910347918789074,  0.26892526418058671,
    -0.6598868525568915,  -1.0125008744744755,  -0.27717046138327478, 0.73628240230814201,
    0.11052646668592826,  -0.33350989770390915, 0.29590225042752943,  0.68091527769288784,
    -1.0293611407744323,  -1.3145931189362394,  -0.82331706294403428, -1.0105935570535327,
    -0.67073135052471744, 0.04465887680021751,  -0.87330063903073307, -0.91195815422957804,
    -0.88789693659339075, -0.47983137114316554};
constexpr double kSklearnBreastCancerIntercept = 0.21456573094302248;

constexpr double kSklearnWineCoef[] = {
    0.8101347947338351,   0.20382073148758001,   0.47221241678907877,  -0.84478438825419999,
    0.0495290462367649,   0.21372479616647425,   0.64787507053201676,  -0.1998249911298963,
    0.13833867563547647,  0.17160966151454118,   0.13090887117220784,  0.72595068969854393,
    1.0789594870704946,   -1.0103233753629,      -0.44045952703030505, -0.84807399677181283,
    0.58357323162785424,  -0.097706023682756771, 0.027527982220614148, 0.35399157401380488,
    0.21278279386396692,  0.26336104957375917,   -1.0412707677956372,  0.68252159911184895,
    0.052876349406492246, -1.1407929345327383,   0.20018858062906528,  0.23663879554272468,
    0.37586157998273323,  0.2612111566263457,    0.048176977445992294, -0.2412527783870882,
    -1.0018666445458217,  -0.012957802734071759, -0.40169972520923564, 0.86966110628109616,
    -0.81343047028405668, -0.77882703910503526,  0.06183344746224461};
constexpr double kSklearnWineIntercept[] = {0.4122935831587044, 0.70481641218341573,
                                            -1.1171099953421206};

constexpr double kSklearnDiabetesRidgeCoef[] = {
    -0.4311726582249335, -11.333654931877625, 24.771241809473384, 15.373472852972004,
    -30.088400592596205, 16.653152303354865,  1.4621070111054963, 7.5211109291231173,
    32.843750856516088,  3.2663848693715143};
constexpr double kSklearnDiabetesRidgeIntercept = 152.13348416289591;

TEST(LinearFamilyTest, CoefficientsMatchSklearn) {
  std::map<std::string, std::string> tight = {{"tol", "1e-10"}, {"max_iter", "100000"}};
  {
    Frame data = LoadDataSet("breast_cancer.csv");
    LinearTrainer trainer(true);
    ASSERT_TRUE(TrainOn(trainer, data, nullptr, tight).result.ok());
    const LinearModel& model = trainer.model();
    ASSERT_EQ(model.coef.size(), 30u);
    for (size_t j = 0; j < 30; ++j)
      EXPECT_NEAR(model.coef[j], kSklearnBreastCancerCoef[j], 1e-3) << j;
    EXPECT_NEAR(model.intercept[0], kSklearnBreastCancerIntercept, 1e-3);
  }
  {
    Frame data = LoadDataSet("wine.csv");
    LinearTrainer trainer(true);
    ASSERT_TRUE(TrainOn(trainer, data, nullptr, tight).result.ok());
    const LinearModel& model = trainer.model();
    ASSERT_EQ(model.coef.size(), 39u);
    for (size_t j = 0; j < 39; ++j) EXPECT_NEAR(model.coef[j], kSklearnWineCoef[j], 1e-3) << j;
    for (size_t k = 0; k < 3; ++k) EXPECT_NEAR(model.intercept[k], kSklearnWineIntercept[k], 1e-3);
  }
  {
    Frame data = LoadDataSet("diabetes.csv");
    LinearTrainer trainer(false);
    ASSERT_TRUE(TrainOn(trainer, data, nullptr).result.ok());
    const LinearModel& model = trainer.model();
    for (size_t j = 0; j < 10; ++j) {
      EXPECT_NEAR(model.coef[j], kSklearnDiabetesRidgeCoef[j],
                  1e-8 * std::abs(kSklearnDiabetesRidgeCoef[j]));
    }
    EXPECT_NEAR(model.intercept[0], kSklearnDiabetesRidgeIntercept, 1e-8 * 152);
  }
}

}  // namespace
}  // namespace ferry::runtime
