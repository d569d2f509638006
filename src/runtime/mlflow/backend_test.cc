#include "runtime/mlflow/backend.h"

#include <gtest/gtest.h>

#include <string>

#include "runtime/mlflow/python_backend.h"

namespace ferry::runtime::mlflow {
namespace {

const std::string kFixtures = std::string(FERRY_TEST_DATA_DIR) + "/mlflow-models/";

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

MlModel Parse(const std::string& text) {
  auto m = ParseMlModel(text, "MLmodel");
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? *m : MlModel();
}

TEST(BackendTest, EachFixtureGetsItsBackend) {
  static const struct {
    const char* dir;
    Backend backend;
    const char* flavor;
    const char* reason;
  } kCases[] = {
      {"xgboost-clf", Backend::kNativeXgboost, "xgboost",
       "flavor xgboost (XGBClassifier, model.xgb) runs natively on libxgboost, without Python"},
      {"sklearn-logreg", Backend::kPython, "sklearn",
       "flavor sklearn via python_function (loader_module mlflow.sklearn) needs Python"},
      {"sklearn-rf-proba", Backend::kPython, "sklearn", "served by the Python worker"},
      {"sklearn-ridge", Backend::kPython, "sklearn", "served by the Python worker"},
      {"pyfunc-custom", Backend::kPython, "python_function",
       "flavor python_function (custom PythonModel python_model.pkl) needs Python"},
  };
  for (const auto& c : kCases) {
    auto m = ReadMlModel(kFixtures + c.dir);
    ASSERT_TRUE(m.ok()) << m.status();
    BackendChoice choice = ChooseBackend(*m);
    EXPECT_EQ(choice.backend, c.backend) << c.dir;
    EXPECT_EQ(choice.flavor, c.flavor) << c.dir;
    EXPECT_TRUE(Contains(choice.reason, c.reason)) << c.dir << ": " << choice.reason;
    EXPECT_TRUE(CheckServable(choice, c.dir).ok());
  }
}

TEST(BackendTest, OnnxOnlyIsRefusedNamingTheFlavorAndWhatWouldServeIt) {
  BackendChoice c = ChooseBackend(Parse("flavors:\n  onnx:\n    data: model.onnx\n"));
  EXPECT_EQ(c.backend, Backend::kNone);
  EXPECT_EQ(c.flavor, "onnx");
  absl::Status s = CheckServable(c, "m");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(std::string(s.message()),
                       "model m cannot be served: flavor onnx: no "
                       "python_function flavor"))
      << s.message();
  EXPECT_TRUE(Contains(c.reason, "no native ONNX backend")) << c.reason;
}

TEST(BackendTest, LightgbmWithoutPythonFunctionIsRefused) {
  BackendChoice c = ChooseBackend(Parse("flavors:\n  lightgbm:\n    data: model.lgb\n"));
  EXPECT_EQ(c.backend, Backend::kNone);
  EXPECT_TRUE(Contains(c.reason, "flavor lightgbm")) << c.reason;
  EXPECT_TRUE(Contains(c.reason, "LightGBM")) << c.reason;
}

TEST(BackendTest, AnXgboostModelNativeCannotRunFallsBackToPython) {
  const std::string text =
      "flavors:\n  python_function:\n    loader_module: mlflow.xgboost\n    data: model.xgb\n"
      "  xgboost:\n    data: model.xgb\n    model_class: xgboost.sklearn.XGBRanker\n";
  BackendChoice c = ChooseBackend(Parse(text));
  EXPECT_EQ(c.backend, Backend::kPython);
  EXPECT_TRUE(Contains(c.reason, "not native: xgboost model_class \"xgboost.sklearn.XGBRanker\""))
      << c.reason;
}

TEST(BackendTest, AnXgboostModelWithStringInputsIsNotNative) {
  const std::string text =
      "flavors:\n  xgboost:\n    data: model.xgb\n    model_class: xgboost.core.Booster\n"
      "signature:\n  inputs: '[{\"type\": \"string\", \"name\": \"s\"}]'\n";
  BackendChoice c = ChooseBackend(Parse(text));
  EXPECT_EQ(c.backend, Backend::kNone);
  EXPECT_TRUE(Contains(c.reason, "non-numeric inputs")) << c.reason;
}

TEST(BackendTest, BackendNames) {
  EXPECT_EQ(BackendName(Backend::kNativeXgboost), "xgboost");
  EXPECT_EQ(BackendName(Backend::kPython), "python");
  EXPECT_EQ(BackendName(Backend::kNone), "none");
}

TEST(BackendTest, PicklesAreFound) {
  std::string what;
  auto logreg = ReadMlModel(kFixtures + "sklearn-logreg");
  ASSERT_TRUE(logreg.ok());
  EXPECT_TRUE(LoadsPickle(*logreg, &what));
  EXPECT_EQ(what, "model.pkl");
  auto custom = ReadMlModel(kFixtures + "pyfunc-custom");
  ASSERT_TRUE(custom.ok());
  EXPECT_TRUE(LoadsPickle(*custom, &what));
  EXPECT_EQ(what, "python_model.pkl");
  auto xgb = ReadMlModel(kFixtures + "xgboost-clf");
  ASSERT_TRUE(xgb.ok());
  EXPECT_FALSE(LoadsPickle(*xgb, &what));
}

TEST(PythonBackendTest, WithoutAFactoryLoadingFailsClearly) {
  SetPythonBackend(nullptr);
  auto m = ReadMlModel(kFixtures + "sklearn-logreg");
  ASSERT_TRUE(m.ok());
  auto p = LoadWithPythonBackend("logreg", "sklearn",
                                 PyfuncSpecFor(*m, kFixtures + "sklearn-logreg"), m->schema);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(p.status().message(),
            "model logreg needs the Python worker backend (flavor sklearn via python_function), "
            "which this build does not have");
}

TEST(PythonBackendTest, TheFactoryGetsTheSpec) {
  auto m = ReadMlModel(kFixtures + "pyfunc-custom");
  ASSERT_TRUE(m.ok());
  python::PyfuncSpec seen;
  SetPythonBackend(
      [&seen](const python::PyfuncSpec& s, const ModelSchema&) -> absl::StatusOr<PredictorPtr> {
        seen = s;
        return absl::UnavailableError("fake");
      });
  auto p = LoadWithPythonBackend("c", "python_function",
                                 PyfuncSpecFor(*m, kFixtures + "pyfunc-custom"), m->schema);
  SetPythonBackend(nullptr);
  EXPECT_EQ(p.status().message(), "fake");
  EXPECT_EQ(seen.model_dir[0], '/');
  EXPECT_TRUE(Contains(seen.model_dir, "mlflow-models/pyfunc-custom"));
  EXPECT_EQ(seen.loader_module, "mlflow.pyfunc.model");
  EXPECT_EQ(seen.python_model, "python_model.pkl");
  EXPECT_EQ(seen.input_example, "input_example.json");
  ASSERT_EQ(seen.artifacts.size(), 1u);
  EXPECT_EQ(seen.artifacts[0].second, "artifacts/weights.json");
  EXPECT_EQ(seen.cloudpickle_version, "2.2.0");
}

}  // namespace
}  // namespace ferry::runtime::mlflow
