#include "runtime/mlflow/mlmodel.h"

#include <gtest/gtest.h>

#include <string>

namespace ferry::runtime::mlflow {
namespace {

const std::string kFixtures = std::string(FERRY_TEST_DATA_DIR) + "/mlflow-models/";

TEST(MlModelTest, ReadsTheSklearnFixture) {
  auto m = ReadMlModel(kFixtures + "sklearn-logreg");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->flavors, (std::vector<std::string>{"python_function", "sklearn"}));
  EXPECT_TRUE(m->has_pyfunc && m->has_sklearn && !m->has_xgboost);
  EXPECT_EQ(m->pyfunc.loader_module, "mlflow.sklearn");
  EXPECT_EQ(m->pyfunc.data, "model.pkl");
  EXPECT_EQ(m->pyfunc.predict_fn, "predict");
  EXPECT_EQ(m->pyfunc.python_version, "3.11.2");
  EXPECT_EQ(m->sklearn.pickled_model, "model.pkl");
  EXPECT_EQ(m->sklearn.serialization_format, "cloudpickle");
  EXPECT_EQ(m->sklearn.sklearn_version, "1.2.1");
  EXPECT_EQ(m->mlflow_version, "2.12.2");
  EXPECT_EQ(m->input_example, "input_example.json");
  EXPECT_EQ(m->input_example_type, "dataframe");
  ASSERT_TRUE(m->has_signature);
  ASSERT_EQ(m->schema.inputs.size(), 30u);
  EXPECT_EQ(m->schema.inputs[0].name, "mean radius");
  EXPECT_EQ(m->schema.inputs[29].name, "worst fractal dimension");
  EXPECT_EQ(m->schema.inputs[7].name, "mean concave points");  // folded over two YAML lines
  ASSERT_EQ(m->schema.outputs.size(), 1u);
  EXPECT_EQ(m->schema.outputs[0].datatype, DataType::kInt64);
}

TEST(MlModelTest, ReadsTheRfProbaAndRidgeFixtures) {
  auto rf = ReadMlModel(kFixtures + "sklearn-rf-proba");
  ASSERT_TRUE(rf.ok()) << rf.status();
  EXPECT_EQ(rf->pyfunc.predict_fn, "predict_proba");
  EXPECT_EQ(rf->input_example, "");
  ASSERT_EQ(rf->schema.outputs.size(), 1u);
  EXPECT_EQ(rf->schema.outputs[0].shape, (std::vector<int64_t>{-1, 3}));
  auto ridge = ReadMlModel(kFixtures + "sklearn-ridge");
  ASSERT_TRUE(ridge.ok()) << ridge.status();
  EXPECT_EQ(ridge->schema.inputs.size(), 10u);
  EXPECT_EQ(ridge->schema.outputs[0].datatype, DataType::kFp64);
}

TEST(MlModelTest, ReadsTheXgboostFixture) {
  auto m = ReadMlModel(kFixtures + "xgboost-clf");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m->has_xgboost && m->has_pyfunc && !m->has_sklearn);
  EXPECT_EQ(m->xgboost.data, "model.xgb");
  EXPECT_EQ(m->xgboost.model_format, "xgb");
  EXPECT_EQ(m->xgboost.model_class, "xgboost.sklearn.XGBClassifier");
  EXPECT_EQ(m->xgboost.xgb_version, "1.7.4");
  EXPECT_EQ(m->pyfunc.data, "model.xgb");
  EXPECT_EQ(m->pyfunc.loader_module, "mlflow.xgboost");
}

TEST(MlModelTest, ReadsTheCustomPyfuncFixture) {
  auto m = ReadMlModel(kFixtures + "pyfunc-custom");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->flavors, std::vector<std::string>{"python_function"});
  EXPECT_EQ(m->pyfunc.loader_module, "mlflow.pyfunc.model");
  EXPECT_EQ(m->pyfunc.python_model, "python_model.pkl");
  EXPECT_EQ(m->pyfunc.cloudpickle_version, "2.2.0");
  ASSERT_EQ(m->pyfunc.artifacts.size(), 1u);
  EXPECT_EQ(m->pyfunc.artifacts[0].first, "weights");
  EXPECT_EQ(m->pyfunc.artifacts[0].second, "artifacts/weights.json");
  ASSERT_EQ(m->schema.inputs.size(), 2u);
  EXPECT_EQ(m->schema.inputs[1].name, "segment");
  EXPECT_EQ(m->schema.inputs[1].datatype, DataType::kBytes);
  EXPECT_EQ(m->schema.outputs[0].name, "output");
}

TEST(MlModelTest, NoSignatureGivesAnEmptySchema) {
  auto m =
      ParseMlModel("flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n", "MLmodel");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_FALSE(m->has_signature);
  EXPECT_TRUE(m->schema.inputs.empty() && m->schema.outputs.empty());
}

TEST(MlModelTest, MissingFileIsNotFound) {
  auto m = ReadMlModel(kFixtures + "no-such-model");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(IsMlflowModelDir(kFixtures + "no-such-model"));
  EXPECT_TRUE(IsMlflowModelDir(kFixtures + "sklearn-ridge"));
}

TEST(MlModelTest, MalformedInputsAreReportedWithFileFieldAndReason) {
  static const struct {
    const char* text;
    const char* expected;  // a substring of the message
  } kCases[] = {
      {"flavors: [unclosed", "MLmodel:1:"},
      {"- a\n- b\n", "MLmodel: expected a YAML mapping at the top level"},
      {"mlflow_version: 2\n", "MLmodel: flavors: missing or empty"},
      {"flavors: 3\n", "MLmodel: flavors: expected a mapping"},
      {"flavors:\n  python_function: 3\n", "MLmodel: flavors.python_function: expected a mapping"},
      {"flavors:\n  python_function:\n    predict_fn: x\n",
       "flavors.python_function.loader_module: missing"},
      {"flavors:\n  python_function:\n    loader_module: [a, b]\n",
       "flavors.python_function.loader_module: expected a single value"},
      {"flavors:\n  python_function:\n    loader_module: m\n    model_path: ../../etc/passwd\n",
       "flavors.python_function.model_path: path \"../../etc/passwd\" leaves the model directory"},
      {"flavors:\n  python_function:\n    loader_module: m\n    data: /abs\n",
       "flavors.python_function.data: path \"/abs\" leaves"},
      {"flavors:\n  python_function:\n    loader_module: m\n    artifacts:\n      w: {uri: x}\n",
       "flavors.python_function.artifacts.w.path: missing"},
      {"flavors:\n  xgboost:\n    model_class: x\n", "flavors.xgboost.data: missing"},
      {"flavors:\n  xgboost:\n    data: model.xgb\nsignature: 3\n",
       "signature: expected a mapping"},
      {"flavors:\n  onnx: {}\nsignature:\n  inputs: '[{\"type\": \"datetime\", \"name\": "
       "\"t\"}]'\n",
       "MLmodel: signature.inputs[0].type: \"datetime\" columns cannot be served"},
      {"flavors:\n  onnx: {}\nsignature:\n  inputs: '{not json'\n",
       "MLmodel: signature.inputs: not JSON"},
      {"flavors:\n  onnx: {}\nsaved_input_example_info:\n  artifact_path: ../x.json\n",
       "saved_input_example_info.artifact_path: path \"../x.json\" leaves"},
  };
  for (const auto& c : kCases) {
    auto m = ParseMlModel(c.text, "MLmodel");
    ASSERT_FALSE(m.ok()) << c.text;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(std::string(m.status().message()).find(c.expected), std::string::npos)
        << c.text << "\n  got: " << m.status().message();
  }
}

TEST(MlModelTest, DeepNestingIsRefusedBeforeParsing) {
  std::string dashes;
  for (int i = 0; i < 100000; ++i) dashes += "- ";
  static const struct {
    std::string text;
    const char* expected;
  } kCases[] = {
      {"flavors: " + std::string(100000, '['), "MLmodel:1: brackets nested deeper than 64"},
      {"flavors:\n" + dashes + "x\n", "MLmodel:2: indented or nested deeper"},
      {"flavors:\n" + std::string(200, ' ') + "x: 1\n", "MLmodel:2: indented or nested deeper"},
  };
  for (const auto& c : kCases) {
    auto m = ParseMlModel(c.text, "MLmodel");
    ASSERT_FALSE(m.ok());
    EXPECT_NE(std::string(m.status().message()).find(c.expected), std::string::npos)
        << m.status().message();
  }
}

}  // namespace
}  // namespace ferry::runtime::mlflow
