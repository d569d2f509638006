#include "runtime/xgboost/xgboost_family.h"

#include <gtest/gtest.h>
#include <xgboost/c_api.h>

#include <cmath>
#include <random>
#include <thread>

#include "common/fs.h"
#include "runtime/xgboost/testing/xgb_test_util.h"
#include "runtime/xgboost/xgboost_predictor.h"

namespace ferry::runtime {
namespace {

using testing::TempDir;

std::vector<double> Rows(const Frame& f, const std::vector<std::string>& cols) {
  std::vector<double> v;
  for (size_t i = 0; i < f.rows(); ++i) {
    for (const std::string& c : cols) v.push_back(f.Find(c)->numbers[i]);
  }
  return v;
}

absl::StatusOr<std::vector<Tensor>> Score(const Predictor& p, std::vector<double> values) {
  const int64_t f = p.schema().inputs[0].shape[1];
  std::vector<Tensor> in = {
      MakeFp64Tensor("input", {static_cast<int64_t>(values.size()) / f, f}, values)};
  RETURN_IF_ERROR(CheckInputs(p.schema(), in));
  std::vector<Tensor> out;
  RETURN_IF_ERROR(p.Predict(in, out));
  return out;
}

struct Trained {
  TrainResult result;
  PredictorPtr predictor;
};

Trained TrainAndLoad(const Frame& train, const Frame& test, const std::string& target,
                     std::map<std::string, std::string> params, const std::string& dir,
                     std::vector<double>* fractions = nullptr) {
  FamilyPtr family = NewXgboostFamily();
  TrainSpec spec{&train, &test, target, std::move(params), dir, {}};
  if (fractions != nullptr) {
    spec.progress = [fractions](const Progress& p) {
      fractions->push_back(static_cast<double>(p.done) / p.total);
    };
  }
  auto result = family->NewTrainer()->Train(spec);
  EXPECT_TRUE(result.ok()) << result.status();
  if (!result.ok()) return {};
  auto predictor = family->Load({dir, result->schema});
  EXPECT_TRUE(predictor.ok()) << predictor.status();
  if (!predictor.ok()) return {};
  return {*std::move(result), *std::move(predictor)};
}

TEST(XgboostFamily, BreastCancerClassifier) {
  Frame all = testing::ReadNumericCsv(testing::DataPath("breast_cancer.csv"));
  ASSERT_EQ(all.rows(), 569u);
  auto [train, test] = testing::SplitEveryK(all, 5);
  TempDir dir;
  std::vector<double> fractions;
  Trained t = TrainAndLoad(train, test, "target", {{"n_estimators", "40"}, {"nthread", "1"}},
                           dir.path(), &fractions);
  ASSERT_NE(t.predictor, nullptr);
  EXPECT_TRUE(PathExists(dir.path() + "/model.ubj"));
  EXPECT_TRUE(PathExists(dir.path() + "/ferry-xgboost.json"));
  EXPECT_EQ(t.result.params.at("objective"), "binary:logistic");
  EXPECT_EQ(t.result.params.at("max_depth"), "6");
  ASSERT_EQ(fractions.size(), 40u);
  EXPECT_EQ(fractions.back(), 1.0);
  EXPECT_GT(t.result.metrics.at("accuracy"), 0.92);
  EXPECT_GT(t.result.metrics.at("roc_auc"), 0.97);
  EXPECT_LT(t.result.metrics.at("log_loss"), 0.3);
  EXPECT_GT(t.result.metrics.at("train_accuracy"), 0.99);

  const ModelSchema& s = t.predictor->schema();
  ASSERT_EQ(s.inputs.size(), 1u);
  EXPECT_EQ(s.inputs[0].shape, (std::vector<int64_t>{-1, 30}));
  EXPECT_EQ(s.inputs[0].columns.front(), "mean_radius");
  EXPECT_EQ(s.inputs[0].columns.size(), 30u);
  ASSERT_EQ(s.outputs.size(), 2u);
  EXPECT_EQ(s.outputs[0].datatype, DataType::kInt64);
  EXPECT_EQ(s.outputs[1].shape, (std::vector<int64_t>{-1, 2}));

  auto out = Score(*t.predictor, Rows(test, s.inputs[0].columns));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ((*out)[0].shape, (std::vector<int64_t>{static_cast<int64_t>(test.rows())}));
  const int64_t* pred = (*out)[0].As<int64_t>();
  const double* prob = (*out)[1].As<double>();
  size_t hits = 0;
  for (size_t i = 0; i < test.rows(); ++i) {
    EXPECT_NEAR(prob[2 * i] + prob[2 * i + 1], 1.0, 1e-6);
    EXPECT_EQ(pred[i], prob[2 * i + 1] > prob[2 * i] ? 1 : 0);
    hits += pred[i] == test.Find("target")->numbers[i];
  }
  // The served model is the evaluated one.
  EXPECT_DOUBLE_EQ(static_cast<double>(hits) / test.rows(), t.result.metrics.at("accuracy"));
}

TEST(XgboostFamily, MissingValuesAndOtherDatatypes) {
  Frame all = testing::ReadNumericCsv(testing::DataPath("breast_cancer.csv"));
  TempDir dir;
  Trained t = TrainAndLoad(all, Frame{}, "target", {{"n_estimators", "5"}}, dir.path());
  ASSERT_NE(t.predictor, nullptr);
  std::vector<double> row(30, std::nan(""));
  auto out = Score(*t.predictor, row);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(std::isfinite((*out)[1].As<double>()[1]));
  // FP32 input gives the same answer as FP64 (xgboost works in float anyway).
  std::vector<double> first = Rows(all.Take({0}), t.predictor->schema().inputs[0].columns);
  Tensor f32{"input", DataType::kFp32, {1, 30}, std::string(30 * 4, '\0'), {}};
  for (int i = 0; i < 30; ++i) f32.MutableAs<float>()[i] = static_cast<float>(first[i]);
  std::vector<Tensor> o32;
  ASSERT_TRUE(t.predictor->Predict({f32}, o32).ok());
  auto o64 = Score(*t.predictor, first);
  ASSERT_TRUE(o64.ok());
  EXPECT_EQ(o32[1].As<double>()[1], (*o64)[1].As<double>()[1]);
}

TEST(XgboostFamily, ConcurrentPredictionsMatchSequentialOnes) {
  Frame all = testing::ReadNumericCsv(testing::DataPath("breast_cancer.csv"));
  TempDir dir;
  Trained t = TrainAndLoad(all, Frame{}, "target", {{"n_estimators", "20"}}, dir.path());
  ASSERT_NE(t.predictor, nullptr);
  const std::vector<std::string>& cols = t.predictor->schema().inputs[0].columns;
  std::vector<std::vector<double>> rows, expected;
  for (size_t i = 0; i < 64; ++i) {
    rows.push_back(Rows(all.Take({i}), cols));
    auto out = Score(*t.predictor, rows.back());
    ASSERT_TRUE(out.ok());
    expected.push_back({(*out)[1].As<double>()[0], (*out)[1].As<double>()[1]});
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int th = 0; th < 4; ++th) {
    threads.emplace_back([&, th] {
      for (int rep = 0; rep < 20; ++rep) {
        for (size_t i = th; i < rows.size(); i += 3) {
          auto out = Score(*t.predictor, rows[i]);
          if (!out.ok() || (*out)[1].As<double>()[1] != expected[i][1]) ++mismatches[th];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches, (std::vector<int>{0, 0, 0, 0}));
}

Frame Synthetic(size_t rows, bool regression, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  Frame f = testing::NumericFrame({"a", "b", "c", "y"});
  for (size_t i = 0; i < rows; ++i) {
    double a = u(rng), b = u(rng), c = u(rng);
    f.columns[0].numbers.push_back(a);
    f.columns[1].numbers.push_back(b);
    f.columns[2].numbers.push_back(c);
    double y = regression ? 3 * a - 2 * b + 0.05 * u(rng)
                          : 10.0 * (1 + (a > b && a > c ? 0
                                         : b > c        ? 1
                                                        : 2));
    f.columns[3].numbers.push_back(y);
  }
  return f;
}

TEST(XgboostFamily, MultiClassKeepsLabelValues) {
  Frame train = Synthetic(600, false, 1), test = Synthetic(200, false, 2);
  TempDir dir;
  Trained t = TrainAndLoad(train, test, "y", {{"n_estimators", "30"}}, dir.path());
  ASSERT_NE(t.predictor, nullptr);
  EXPECT_EQ(t.result.params.at("objective"), "multi:softprob");
  EXPECT_GT(t.result.metrics.at("accuracy"), 0.9);
  EXPECT_EQ(t.result.metrics.count("roc_auc"), 0u);
  auto out = Score(*t.predictor, Rows(test, {"a", "b", "c"}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[1].shape, (std::vector<int64_t>{200, 3}));
  for (int i = 0; i < 200; ++i) {
    int64_t p = (*out)[0].As<int64_t>()[i];
    EXPECT_TRUE(p == 10 || p == 20 || p == 30) << p;
  }
}

TEST(XgboostFamily, Regression) {
  Frame train = Synthetic(500, true, 3), test = Synthetic(100, true, 4);
  TempDir dir;
  Trained t = TrainAndLoad(train, test, "y", {{"learning_rate", "0.2"}}, dir.path());
  ASSERT_NE(t.predictor, nullptr);
  EXPECT_EQ(t.result.params.at("objective"), "reg:squarederror");
  EXPECT_EQ(t.result.params.at("eta"), "0.2");
  EXPECT_GT(t.result.metrics.at("r2"), 0.95);
  EXPECT_LT(t.result.metrics.at("rmse"), 0.2);
  ASSERT_EQ(t.predictor->schema().outputs.size(), 1u);
  EXPECT_EQ(t.predictor->schema().outputs[0].datatype, DataType::kFp64);
  auto out = Score(*t.predictor, {0.5, 0.5, 0.5});
  ASSERT_TRUE(out.ok());
  EXPECT_NEAR((*out)[0].As<double>()[0], 0.5, 0.25);
}

TEST(XgboostFamily, RejectsBadParamsAndData) {
  Frame train = Synthetic(50, true, 5);
  TempDir dir;
  auto trainer = NewXgboostFamily()->NewTrainer();
  auto r = trainer->Train({&train, nullptr, "y", {{"max_depth", "x"}}, dir.path(), {}});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("max_depth"), std::string::npos);
  r = trainer->Train({&train, nullptr, "y", {{"bogus", "1"}}, dir.path(), {}});
  EXPECT_NE(r.status().message().find("bogus"), std::string::npos);
  r = trainer->Train({&train, nullptr, "nope", {}, dir.path(), {}});
  EXPECT_NE(r.status().message().find("\"nope\" not found"), std::string::npos);
  r = trainer->Train({&train, nullptr, "y", {{"task", "classification"}}, dir.path(), {}});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  // An xgboost error carries xgboost's own message.
  r = trainer->Train({&train, nullptr, "y", {{"objective", "reg:nonsense"}}, dir.path(), {}});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("xgboost"), std::string::npos) << r.status();
}

TEST(XgboostFamily, CorruptModelFileIsAnError) {
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() + "/model.json", "{not a model").ok());
  auto p = NewXgboostFamily()->Load({dir.path(), {}});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("model.json"), std::string::npos) << p.status();
  TempDir empty;
  EXPECT_EQ(NewXgboostFamily()->Load({empty.path(), {}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A model written by xgboost itself (no ferry-xgboost.json), in both file formats.
void SaveBareModel(const std::string& path, std::vector<float>& x, size_t rows) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0, 1);
  std::vector<float> labels;
  for (size_t i = 0; i < rows; ++i) {
    for (int j = 0; j < 4; ++j) x.push_back(u(rng));
    labels.push_back(x[i * 4] + x[i * 4 + 1] > 1.2f ? 2 : x[i * 4] > 0.5f ? 1 : 0);
  }
  DMatrixHandle d;
  ASSERT_EQ(XGDMatrixCreateFromMat(x.data(), rows, 4, NAN, &d), 0);
  ASSERT_EQ(XGDMatrixSetFloatInfo(d, "label", labels.data(), rows), 0);
  BoosterHandle b;
  ASSERT_EQ(XGBoosterCreate(&d, 1, &b), 0);
  XGBoosterSetParam(b, "objective", "multi:softprob");
  XGBoosterSetParam(b, "num_class", "3");
  XGBoosterSetParam(b, "nthread", "1");
  for (int i = 0; i < 10; ++i) ASSERT_EQ(XGBoosterUpdateOneIter(b, i, d), 0);
  ASSERT_EQ(XGBoosterSaveModel(b, path.c_str()), 0) << XGBGetLastError();
  XGBoosterFree(b);
  XGDMatrixFree(d);
}

TEST(XgboostFamily, LoadsModelsSavedByXgboost) {
  for (const char* file : {"model.json", "model.ubj"}) {
    TempDir dir;
    std::vector<float> x;
    SaveBareModel(dir.path() + "/" + file, x, 300);
    auto p = NewXgboostFamily()->Load({dir.path(), {}});
    ASSERT_TRUE(p.ok()) << file << ": " << p.status();
    const ModelSchema& s = (*p)->schema();
    EXPECT_EQ(s.inputs[0].columns, (std::vector<std::string>{"f0", "f1", "f2", "f3"}));
    ASSERT_EQ(s.outputs.size(), 2u);
    EXPECT_EQ(s.outputs[1].shape, (std::vector<int64_t>{-1, 3}));
    auto out = Score(**p, std::vector<double>(x.begin(), x.begin() + 40));
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ((*out)[1].shape, (std::vector<int64_t>{10, 3}));
    EXPECT_NEAR((*out)[1].As<double>()[0] + (*out)[1].As<double>()[1] + (*out)[1].As<double>()[2],
                1.0, 1e-5);
    // Column names come from the package schema when it names every feature.
    ModelSchema hint;
    hint.inputs.push_back({"input", DataType::kFp64, {-1, 4}, {"a", "b", "c", "d"}, true});
    auto named = NewXgboostFamily()->Load({dir.path(), hint});
    ASSERT_TRUE(named.ok());
    EXPECT_EQ((*named)->schema().inputs[0].columns[3], "d");
  }
}

}  // namespace
}  // namespace ferry::runtime
