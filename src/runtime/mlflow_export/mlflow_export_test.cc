#include "runtime/mlflow_export/mlflow_export.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>

#include "common/fs.h"
#include "common/json.h"
#include "common/process.h"
#include "runtime/linear_model.h"
#include "runtime/testing/linear_test_util.h"

namespace ferry::runtime::mlflow_export {
namespace {

ModelSchema LogisticSchema(std::vector<std::string> columns) {
  ModelSchema s;
  s.inputs.push_back(
      TensorSpec{"input", DataType::kFp64, {-1, static_cast<int64_t>(columns.size())}, columns});
  s.outputs.push_back(TensorSpec{"predictions", DataType::kInt64, {-1}, {}});
  s.outputs.push_back(TensorSpec{"probabilities", DataType::kFp64, {-1, 2}, {"0", "1"}});
  return s;
}

TEST(MlflowExportTest, TheMlmodelNamesTheLoaderAndTheSignature) {
  const std::string text = MlmodelText(LogisticSchema({"mean radius", "it's"}), LinearPyfunc());
  YAML::Node m = YAML::Load(text);
  const YAML::Node pyfunc = m["flavors"]["python_function"];
  EXPECT_EQ(pyfunc["loader_module"].as<std::string>(), "ferry_linear");
  EXPECT_EQ(pyfunc["data"].as<std::string>(), "model.json");
  EXPECT_EQ(pyfunc["code"].as<std::string>(), "code");
  EXPECT_EQ(m["model_uuid"].as<std::string>().size(), 32u);
  // The signature's JSON survives the YAML quoting (a quote in a column name).
  auto inputs = ParseJson(m["signature"]["inputs"].as<std::string>());
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  ASSERT_EQ(inputs->items().size(), 2u);
  EXPECT_EQ(inputs->items()[1].Find("name")->as_string(), "it's");
  EXPECT_EQ(inputs->items()[1].Find("type")->as_string(), "double");
  EXPECT_EQ(m["signature"]["outputs"].as<std::string>(),
            R"([{"type":"tensor","tensor-spec":{"dtype":"int64","shape":[-1]}}])");
  EXPECT_EQ(m["signature"]["params"].as<std::string>(),
            R"([{"name":"predict_method","type":"string","default":"predict","shape":null}])");
  ModelSchema regression = LogisticSchema({"x"});
  regression.outputs.pop_back();
  EXPECT_TRUE(YAML::Load(MlmodelText(regression, LinearPyfunc()))["signature"]["params"].IsNull());
}

TEST(MlflowExportTest, TextLabelsAreAStringColumn) {
  ModelSchema s = LogisticSchema({"x"});
  s.outputs[0].datatype = DataType::kBytes;
  EXPECT_EQ(SignatureOutputsJson(s), R"([{"type":"string","required":true}])");
}

// Trains on FILE, writes the MLflow directory, and has the shipped loader predict every row
// of FILE with /usr/bin/python3 and numpy: the same labels, probabilities within 1e-9.
void ExpectPythonAgrees(bool logistic, const std::string& file) {
  Frame data = testing::LoadDataSet(file);
  LinearTrainer trainer(logistic);
  auto t = testing::TrainOn(trainer, data, nullptr);
  ASSERT_TRUE(t.result.ok()) << t.result.status();
  ASSERT_TRUE(PathExists(JoinPath(t.dir, "MLmodel")));  // the trainer wrote it
  auto model = ReadLinearModel(t.dir);
  ASSERT_TRUE(model.ok()) << model.status();
  const std::string csv = std::string(FERRY_TEST_DATA_DIR) + "/" + file;
  const std::string script =
      "import json, sys\nimport pandas as pd\nsys.path.insert(0, sys.argv[1] + '/code')\n"
      "import ferry_linear\nm = ferry_linear._load_pyfunc(sys.argv[1] + '/model.json')\n"
      "df = pd.read_csv(sys.argv[2])\nout = {'predict': m.predict(df).tolist()}\n"
      "if m.logistic:\n"
      "    out['proba'] = m.predict(df, params={'predict_method': 'predict_proba'}).tolist()\n"
      "print(json.dumps(out))\n";
  const std::string out = CaptureCommand({"/usr/bin/python3", "-c", script, t.dir, csv});
  auto j = ParseJson(out);
  ASSERT_TRUE(j.ok()) << "python printed: " << out;
  // Ferry's own predictions on the same rows.
  const size_t n = data.rows(), f = model->n_features();
  std::vector<double> x(n * f);
  for (size_t j2 = 0; j2 < f; ++j2) {
    const Column* c = data.Find(model->features[j2]);
    for (size_t i = 0; i < n; ++i) x[i * f + j2] = c->numbers[i];
  }
  std::vector<double> values;
  std::vector<int64_t> labels;
  model->Predict(x.data(), n, values, labels);
  const auto& predicted = j->Find("predict")->items();
  ASSERT_EQ(predicted.size(), n);
  for (size_t i = 0; i < n; ++i) {
    if (logistic) {
      EXPECT_EQ(predicted[i].as_int(), model->class_ints[static_cast<size_t>(labels[i])]) << i;
      const auto& p = j->Find("proba")->items()[i].items();
      for (size_t k = 0; k < model->n_classes(); ++k) {
        EXPECT_NEAR(p[k].as_double(), values[i * model->n_classes() + k], 1e-9) << i;
      }
    } else {
      EXPECT_NEAR(predicted[i].as_double(), values[i], 1e-9 * std::abs(values[i])) << i;
    }
  }
}

TEST(MlflowExportTest, ThePythonLoaderPredictsWhatFerryPredicts) {
  ExpectPythonAgrees(true, "breast_cancer.csv");  // binary logistic
  ExpectPythonAgrees(true, "wine.csv");           // three classes: softmax
  ExpectPythonAgrees(false, "diabetes.csv");      // linear regression
}

}  // namespace
}  // namespace ferry::runtime::mlflow_export
