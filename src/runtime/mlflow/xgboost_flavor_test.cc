#include "runtime/mlflow/xgboost_flavor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "common/fs.h"
#include "common/json.h"

namespace ferry::runtime::mlflow {
namespace {

const std::string kFixtures = std::string(FERRY_TEST_DATA_DIR) + "/mlflow-models/";

struct Case {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
  std::vector<int64_t> expected;
};

// cases.json's dataframe_split request and MLflow's predictions for `model`.
Case ReadCase(const std::string& model) {
  Case c;
  auto text = ReadFile(kFixtures + "cases.json");
  EXPECT_TRUE(text.ok());
  auto doc = ParseJson(*text);
  EXPECT_TRUE(doc.ok());
  const JsonValue* entry = doc->Find(model);
  const JsonValue* split = entry->Find("request_invocations")->Find("dataframe_split");
  for (const JsonValue& col : split->Find("columns")->items()) c.columns.push_back(col.as_string());
  for (const JsonValue& row : split->Find("data")->items()) {
    c.rows.emplace_back();
    for (const JsonValue& v : row.items()) c.rows.back().push_back(v.as_double());
  }
  for (const JsonValue& p : entry->Find("expected_predictions")->items()) {
    c.expected.push_back(p.as_int());
  }
  return c;
}

// One FP64 [N] tensor per column, in the predictor's schema order.
std::vector<Tensor> Columns(const ModelSchema& schema, const Case& c) {
  std::vector<Tensor> in;
  for (const TensorSpec& spec : schema.inputs) {
    size_t j = 0;
    while (j < c.columns.size() && c.columns[j] != spec.name) ++j;
    EXPECT_LT(j, c.columns.size()) << spec.name;
    std::vector<double> v;
    for (const auto& row : c.rows) v.push_back(row[j]);
    in.push_back(MakeFp64Tensor(spec.name, {static_cast<int64_t>(v.size())}, v));
  }
  return in;
}

TEST(XgboostFlavorTest, AnswersAsMlflowDidForTheFixture) {
  const std::string dir = kFixtures + "xgboost-clf";
  auto m = ReadMlModel(dir);
  ASSERT_TRUE(m.ok()) << m.status();
  auto p = LoadXgboostFlavor(*m, dir);
  ASSERT_TRUE(p.ok()) << p.status();
  const ModelSchema& schema = (*p)->schema();
  ASSERT_EQ(schema.inputs.size(), 30u);
  EXPECT_EQ(schema.inputs[0].name, "mean radius");
  EXPECT_EQ(schema.inputs[0].shape, std::vector<int64_t>{-1});
  ASSERT_EQ(schema.outputs.size(), 1u);
  EXPECT_EQ(schema.outputs[0].datatype, DataType::kInt64);

  const Case c = ReadCase("xgboost-clf");
  ASSERT_EQ(c.expected.size(), c.rows.size());
  std::vector<Tensor> in = Columns(schema, c);
  ASSERT_TRUE(CheckInputs(schema, in).ok());
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict(in, out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].shape, std::vector<int64_t>{static_cast<int64_t>(c.rows.size())});
  const int64_t* labels = out[0].As<int64_t>();
  EXPECT_EQ(std::vector<int64_t>(labels, labels + c.rows.size()), c.expected);
}

// 200 perturbed rows (13 with 0.05 < P < 0.95) and xgboost 1.7's own XGBClassifier.predict
// for them (tests/data/mlflow-models/make_xgboost_wide.py).
TEST(XgboostFlavorTest, AnswersAsXgboostsOwnPredictOnWideRows) {
  const std::string dir = kFixtures + "xgboost-clf";
  auto m = ReadMlModel(dir);
  ASSERT_TRUE(m.ok());
  auto p = LoadXgboostFlavor(*m, dir);
  ASSERT_TRUE(p.ok());
  auto text = ReadFile(kFixtures + "xgboost-clf-wide.json");
  ASSERT_TRUE(text.ok());
  auto doc = ParseJson(*text);
  ASSERT_TRUE(doc.ok());
  Case c;
  for (const JsonValue& col : doc->Find("columns")->items()) c.columns.push_back(col.as_string());
  for (const JsonValue& row : doc->Find("data")->items()) {
    c.rows.emplace_back();
    for (const JsonValue& v : row.items()) c.rows.back().push_back(v.as_double());
  }
  for (const JsonValue& v : doc->Find("expected_predictions")->items()) {
    c.expected.push_back(v.as_int());
  }
  ASSERT_EQ(c.rows.size(), 200u);
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict(Columns((*p)->schema(), c), out).ok());
  const int64_t* labels = out[0].As<int64_t>();
  EXPECT_EQ(std::vector<int64_t>(labels, labels + c.rows.size()), c.expected);
}

TEST(XgboostFlavorTest, ColumnsAreTakenInSignatureOrderNotRequestOrder) {
  // Swapping two columns' values must change some answer: proves the matrix follows the
  // schema's order (the fixture's rows differ in the features the trees split on).
  const std::string dir = kFixtures + "xgboost-clf";
  auto m = ReadMlModel(dir);
  ASSERT_TRUE(m.ok());
  auto p = LoadXgboostFlavor(*m, dir);
  ASSERT_TRUE(p.ok());
  const Case c = ReadCase("xgboost-clf");
  std::vector<Tensor> in = Columns((*p)->schema(), c);
  std::vector<Tensor> swapped = in;
  for (size_t j = 0; j < swapped.size(); ++j) swapped[j].data = in[swapped.size() - 1 - j].data;
  std::vector<Tensor> a, b;
  ASSERT_TRUE((*p)->Predict(in, a).ok());
  ASSERT_TRUE((*p)->Predict(swapped, b).ok());
  EXPECT_NE(a[0].data, b[0].data);
}

TEST(XgboostFlavorTest, ColumnsMapOntoTheBoostersFeatureNames) {
  // The same booster saved with feature names (make_xgboost_wide.py): a signature listing the
  // columns in another order still feeds each value to its feature.
  auto m = ReadMlModel(kFixtures + "xgboost-clf");
  ASSERT_TRUE(m.ok());
  m->xgboost.data = "xgboost-clf-named.ubj";
  m->xgboost.model_format = "ubj";
  std::reverse(m->schema.inputs.begin(), m->schema.inputs.end());
  const std::string dir = kFixtures;
  auto p = LoadXgboostFlavor(*m, dir);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->schema().inputs[0].name, "worst fractal dimension");
  const Case c = ReadCase("xgboost-clf");
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict(Columns((*p)->schema(), c), out).ok());
  const int64_t* labels = out[0].As<int64_t>();
  EXPECT_EQ(std::vector<int64_t>(labels, labels + 7), c.expected);
  m->schema.inputs[0].name = "no such feature";
  auto bad = LoadXgboostFlavor(*m, dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.status().message()).find("column \"no such feature\" is not a feature"),
            std::string::npos)
      << bad.status();
}

TEST(XgboostFlavorTest, WithoutASignatureTakesOneTabularInput) {
  const std::string dir = kFixtures + "xgboost-clf";
  auto m = ReadMlModel(dir);
  ASSERT_TRUE(m.ok());
  m->schema = ModelSchema();
  auto p = LoadXgboostFlavor(*m, dir);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ((*p)->schema().inputs.size(), 1u);
  EXPECT_EQ((*p)->schema().inputs[0].shape, (std::vector<int64_t>{-1, 30}));
  EXPECT_EQ((*p)->schema().outputs[0].name, "predictions");
  const Case c = ReadCase("xgboost-clf");
  std::vector<double> flat;
  for (const auto& row : c.rows) flat.insert(flat.end(), row.begin(), row.end());
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict({MakeFp64Tensor("input", {7, 30}, flat)}, out).ok());
  const int64_t* labels = out[0].As<int64_t>();
  EXPECT_EQ(std::vector<int64_t>(labels, labels + 7), c.expected);
}

TEST(XgboostFlavorTest, OneTensorInputIsTakenAsTheMatrix) {
  const std::string dir = kFixtures + "xgboost-clf";
  auto m = ReadMlModel(dir);
  ASSERT_TRUE(m.ok());
  TensorSpec x;
  x.name = "x";
  x.shape = {-1, 30};
  m->schema.inputs = {x};
  auto p = LoadXgboostFlavor(*m, dir);
  ASSERT_TRUE(p.ok()) << p.status();
  const Case c = ReadCase("xgboost-clf");
  std::vector<double> flat;
  for (const auto& row : c.rows) flat.insert(flat.end(), row.begin(), row.end());
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict({MakeFp64Tensor("x", {7, 30}, flat)}, out).ok());
  const int64_t* labels = out[0].As<int64_t>();
  EXPECT_EQ(std::vector<int64_t>(labels, labels + 7), c.expected);
  x.shape = {-1, 29};
  m->schema.inputs = {x};
  EXPECT_FALSE(LoadXgboostFlavor(*m, dir).ok());
}

// The same booster saved as another model class answers as that class's predict would: a
// Booster or a regressor gives the probability itself (FP64), never a label.
TEST(XgboostFlavorTest, BoosterAndRegressorClassesAnswerValues) {
  const std::string dir = kFixtures + "xgboost-clf";
  const Case c = ReadCase("xgboost-clf");
  for (const char* cls : {"xgboost.core.Booster", "xgboost.sklearn.XGBRegressor"}) {
    auto m = ReadMlModel(dir);
    ASSERT_TRUE(m.ok());
    m->xgboost.model_class = cls;
    auto p = LoadXgboostFlavor(*m, dir);
    ASSERT_TRUE(p.ok()) << p.status();
    ASSERT_EQ((*p)->schema().outputs[0].datatype, DataType::kFp64) << cls;
    std::vector<Tensor> out;
    ASSERT_TRUE((*p)->Predict(Columns((*p)->schema(), c), out).ok());
    ASSERT_EQ(out[0].shape, std::vector<int64_t>{7}) << cls;
    const double* v = out[0].As<double>();
    for (size_t i = 0; i < 7; ++i) {
      EXPECT_GT(v[i], 0.0);
      EXPECT_LT(v[i], 1.0);
      EXPECT_EQ(v[i] > 0.5 ? 1 : 0, c.expected[i]) << cls << " row " << i;
    }
  }
}

TEST(XgboostFlavorTest, ASignatureThatDoesNotFitIsRefusedAtLoad) {
  const std::string dir = kFixtures + "xgboost-clf";
  auto m = ReadMlModel(dir);
  ASSERT_TRUE(m.ok());
  m->schema.inputs.pop_back();
  auto p = LoadXgboostFlavor(*m, dir);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("29 input columns, the model has 30 features"),
            std::string::npos)
      << p.status();
}

TEST(XgboostFlavorTest, AMissingModelFileIsNamed) {
  const std::string dir = kFixtures + "xgboost-clf";
  auto m = ReadMlModel(dir);
  ASSERT_TRUE(m.ok());
  m->xgboost.data = "absent.xgb";
  auto p = LoadXgboostFlavor(*m, dir);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("absent.xgb"), std::string::npos);
}

}  // namespace
}  // namespace ferry::runtime::mlflow
