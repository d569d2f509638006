// LoadPyfunc over the MLflow fixtures (real /usr/bin/python3 workers): MLflow's predictions
// to 1e-9 relative, the output kinds, and the load-time refusals.
#include "runtime/python/python_backend.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>

#include "common/fs.h"
#include "common/strings.h"
#include "common/testing/test_dir.h"
#include "runtime/python/python_predictor.h"
#include "runtime/python/testing/python_fixtures.h"

namespace ferry::runtime::python {
namespace {

using testing::FixtureCase;
using testing::FixtureSpec;
using testing::ReadFixtureCase;

const PythonPredictor& AsPool(const PredictorPtr& p) {
  return dynamic_cast<const PythonPredictor&>(*p);
}

void ExpectNear(const Tensor& got, const FixtureCase& c) {
  ASSERT_EQ(got.shape, c.expected_shape);
  const std::vector<double> values = ToDoubles(got);
  ASSERT_EQ(values.size(), c.expected.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const double tol = 1e-9 * std::max(1.0, std::fabs(c.expected[i]));
    EXPECT_NEAR(values[i], c.expected[i], tol) << "element " << i;
  }
}

struct FixtureCaseRow {
  const char* name;
  OutputKind kind;
  DataType datatype;
  bool with_mlflow = false;  // through mlflow.pyfunc.load_model (FERRY_TEST_MLFLOW_PYTHON)
};

// An interpreter that can import the real mlflow (e.g. a --system-site-packages virtualenv
// with the MLflow 2.12.2 client on a .pth line), or "" when the environment names none.
std::string MlflowPython() {
  const char* python = std::getenv("FERRY_TEST_MLFLOW_PYTHON");
  return python == nullptr ? "" : python;
}

class FixtureTest : public ::testing::TestWithParam<FixtureCaseRow> {};

TEST_P(FixtureTest, GivesMlflowsPredictions) {
  const FixtureCaseRow row = GetParam();
  PythonWorkerOptions options;
  if (row.with_mlflow) {
    if (MlflowPython().empty()) GTEST_SKIP() << "FERRY_TEST_MLFLOW_PYTHON is not set";
    options.interpreter = MlflowPython();
  }
  const FixtureCase c = ReadFixtureCase(row.name);
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(FixtureSpec(row.name), c.schema, options);
  ASSERT_TRUE(p.ok()) << p.status();
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict(c.inputs, out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "predictions");
  EXPECT_EQ(out[0].datatype, row.datatype);
  ExpectNear(out[0], c);
  // The same request with its columns in reverse order: the schema's order is restored.
  std::vector<Tensor> reversed(c.inputs.rbegin(), c.inputs.rend());
  ASSERT_TRUE((*p)->Predict(reversed, out).ok());
  ExpectNear(out[0], c);
  const PythonPredictor& pool = AsPool(*p);
  EXPECT_EQ(pool.output_kind(), row.kind);
  EXPECT_TRUE((*p)->Ready().ok());
  EXPECT_EQ((*p)->PoolStats()->requests, 2);
  // Custom pyfuncs may depend on the whole batch: batching them is the operator's choice.
  const bool custom = std::string(row.name) == "pyfunc-custom";
  EXPECT_EQ((*p)->Execution().batch_rows, custom ? 0 : kDefaultBatchRows);
  EXPECT_EQ((*p)->Execution().concurrency, 1);
  // Through mlflow.pyfunc.load_model the model always gets MLflow's DataFrame; without it the
  // sklearn fixture with an input example is proved equal on numpy.
  if (row.with_mlflow || custom) {
    EXPECT_EQ(pool.input_mode(), "dataframe");
  } else if (!FixtureSpec(row.name).input_example.empty()) {
    EXPECT_EQ(pool.input_mode(), "numpy");
  }
  EXPECT_TRUE(pool.Ready().ok());
  const WorkerPoolStats s = pool.stats();
  EXPECT_EQ(s.live_workers, 1);
  EXPECT_EQ(s.requests, 2);
  EXPECT_EQ(s.failures, 0);
  EXPECT_GT(s.worker_us, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, FixtureTest,
    ::testing::Values(
        FixtureCaseRow{"sklearn-logreg", OutputKind::kNdarray, DataType::kInt64},
        FixtureCaseRow{"sklearn-rf-proba", OutputKind::kNdarray, DataType::kFp64},
        FixtureCaseRow{"sklearn-ridge", OutputKind::kNdarray, DataType::kFp64},
        FixtureCaseRow{"pyfunc-custom", OutputKind::kNdarray, DataType::kFp64},
        FixtureCaseRow{"sklearn-logreg", OutputKind::kNdarray, DataType::kInt64, true},
        FixtureCaseRow{"sklearn-rf-proba", OutputKind::kNdarray, DataType::kFp64, true},
        FixtureCaseRow{"sklearn-ridge", OutputKind::kNdarray, DataType::kFp64, true},
        FixtureCaseRow{"pyfunc-custom", OutputKind::kNdarray, DataType::kFp64, true}),
    [](const ::testing::TestParamInfo<FixtureCaseRow>& info) {
      std::string name = std::string(info.param.name) + (info.param.with_mlflow ? "_mlflow" : "");
      for (char& ch : name) ch = ch == '-' ? '_' : ch;
      return name;
    });

// The warm-up proves numpy gives the DataFrame's answer for the sklearn pipeline; a custom
// PythonModel always gets MLflow's DataFrame.
TEST(PythonBackend, WarmUpChoosesTheInputForm) {
  const FixtureCase logreg = ReadFixtureCase("sklearn-logreg");
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(FixtureSpec("sklearn-logreg"), logreg.schema, {});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(AsPool(*p).input_mode(), "numpy");
  const FixtureCase custom = ReadFixtureCase("pyfunc-custom");
  auto info = [&](const std::string& key) {
    for (const auto& [k, v] : AsPool(*p).load_info()) {
      if (k == key) return v;
    }
    return std::string("absent");
  };
  EXPECT_EQ(info("loader"), "ferry");
  EXPECT_EQ(info("sklearn_version"), "1.2.1");
  EXPECT_EQ(info("python_version").substr(0, 2), "3.");
  EXPECT_EQ(info("mode"), "numpy");
  p = LoadPyfunc(FixtureSpec("pyfunc-custom"), custom.schema, {});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(AsPool(*p).input_mode(), "dataframe");
}

// Without a signature the request's columns go as they are, and the outputs come from the
// warm-up prediction.
TEST(PythonBackend, NoSignatureTakesOutputsFromTheWarmUp) {
  const FixtureCase c = ReadFixtureCase("sklearn-logreg");
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(FixtureSpec("sklearn-logreg"), ModelSchema{}, {});
  ASSERT_TRUE(p.ok()) << p.status();
  const ModelSchema& schema = (*p)->schema();
  ASSERT_EQ(schema.outputs.size(), 1u);
  EXPECT_EQ(schema.outputs[0].datatype, DataType::kInt64);
  EXPECT_EQ(schema.outputs[0].shape, (std::vector<int64_t>{-1}));
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict(c.inputs, out).ok());
  ExpectNear(out[0], c);
}

TEST(PythonBackend, ModelRaisingOnLoadNamesTheException) {
  ferry::testing::TestDir dir("pyworker");
  PyfuncSpec spec = testing::WriteCodeModel(
      dir.path(), "broken_loader",
      "def _load_pyfunc(path):\n    raise ValueError('weights file is corrupt')\n");
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, ModelSchema{}, {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(StatusMessage(p.status()).find("ValueError: weights file is corrupt"),
            std::string::npos)
      << p.status();
}

TEST(PythonBackend, ModelErrorAtPredictIsInternalAndTheWorkerStays) {
  ferry::testing::TestDir dir("pyworker");
  PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "picky_loader", R"(
class M:
    def predict(self, df):
        if (df["x"] < 0).any():
            raise KeyError("negative x")
        return df["x"].to_numpy() * 2
def _load_pyfunc(path):
    return M()
)");
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, ModelSchema{}, {});
  ASSERT_TRUE(p.ok()) << p.status();
  std::vector<Tensor> out;
  absl::Status s = (*p)->Predict({testing::Column("x", 2, -5)}, out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);  // MLflow: 400 BAD_REQUEST
  EXPECT_EQ(StatusMessage(s).rfind(kPredictErrorMessage, 0), 0u) << s;
  EXPECT_NE(StatusMessage(s).find("KeyError"), std::string::npos) << s;
  ASSERT_TRUE((*p)->Predict({testing::Column("x", 2, 1)}, out).ok());
  EXPECT_EQ(ToDoubles(out[0]), (std::vector<double>{2, 4}));
  EXPECT_EQ(AsPool(*p).stats().restarts, 0);
}

// What /invocations needs to render MLflow's JSON: the kind, and the model's own names for a
// DataFrame's columns and a Series.
TEST(PythonBackend, OutputKindsKeepTheModelsNames) {
  ferry::testing::TestDir dir("pyworker");
  PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "shapes_loader", R"(
import pandas as pd
class M:
    def predict(self, df):
        x = df["x"]
        if x.iloc[0] == 0:
            return pd.DataFrame({"label": (x > 1).astype("int64"), "name": ["a"] * len(x)})
        if x.iloc[0] == 1:
            return (x * 3).rename("y")
        return [float(v) for v in x]
def _load_pyfunc(path):
    return M()
)");
  ModelSchema schema;
  schema.inputs.push_back(TensorSpec{"x", DataType::kFp64, {-1}, {}, false});
  schema.outputs.push_back(TensorSpec{"out", DataType::kFp64, {-1}, {}, false});
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, schema, {});
  ASSERT_TRUE(p.ok()) << p.status();
  const PythonPredictor& pool = AsPool(*p);
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict({testing::Column("x", 3, 0)}, out).ok());
  EXPECT_EQ(pool.output_kind(), OutputKind::kDataFrame);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].name, "label");
  EXPECT_EQ(out[0].datatype, DataType::kInt64);
  EXPECT_EQ(ToDoubles(out[0]), (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(out[1].name, "name");
  EXPECT_EQ(out[1].strings, (std::vector<std::string>{"a", "a", "a"}));
  ASSERT_TRUE((*p)->Predict({testing::Column("x", 2, 1)}, out).ok());
  EXPECT_EQ(pool.output_kind(), OutputKind::kSeries);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "y");
  EXPECT_EQ(ToDoubles(out[0]), (std::vector<double>{3, 6}));
  ASSERT_TRUE((*p)->Predict({testing::Column("x", 2, 5)}, out).ok());
  EXPECT_EQ(pool.output_kind(), OutputKind::kList);
  EXPECT_EQ(out[0].name, "out");
  EXPECT_EQ(ToDoubles(out[0]), (std::vector<double>{5, 6}));
}

// A tensor-based signature: one input arrives as its ndarray, several as a dict of them.
TEST(PythonBackend, TensorSignatureGetsNdarrays) {
  ferry::testing::TestDir dir("pyworker");
  PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "tensor_loader", R"(
import numpy as np
class M:
    def predict(self, x):
        if isinstance(x, dict):
            return x["a"].sum(axis=1) - x["b"]
        assert isinstance(x, np.ndarray) and x.ndim == 2, type(x)
        return x.sum(axis=1)
def _load_pyfunc(path):
    return M()
)");
  ModelSchema one;
  one.inputs.push_back(TensorSpec{"x", DataType::kFp64, {-1, 2}, {}, false});
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, one, {});
  ASSERT_TRUE(p.ok()) << p.status();
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict({MakeFp64Tensor("x", {2, 2}, {1, 2, 3, 4})}, out).ok());
  EXPECT_EQ(ToDoubles(out[0]), (std::vector<double>{3, 7}));
  ModelSchema two = one;
  two.inputs[0].name = "a";
  two.inputs.push_back(TensorSpec{"b", DataType::kFp64, {-1}, {}, false});
  p = LoadPyfunc(spec, two, {});
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(
      (*p)->Predict({MakeFp64Tensor("b", {2}, {1, 1}), MakeFp64Tensor("a", {2, 2}, {1, 2, 3, 4})},
                    out)
          .ok());
  EXPECT_EQ(ToDoubles(out[0]), (std::vector<double>{2, 6}));
}

TEST(PythonBackend, CondaInterpreterIsRefused) {
  ferry::testing::TestDir dir("pyworker-conda");
  const std::string bin = dir.Sub("env/bin");
  dir.Sub("env/conda-meta");
  ASSERT_EQ(symlink("/usr/bin/python3", JoinPath(bin, "python3").c_str()), 0);
  PythonWorkerOptions options;
  options.interpreter = JoinPath(bin, "python3");
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(FixtureSpec("sklearn-ridge"), ModelSchema{}, options);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(StatusMessage(p.status()).find("conda environment"), std::string::npos) << p.status();
}

TEST(PythonBackend, BadOptionsAreRefused) {
  PythonWorkerOptions options;
  options.interpreter = "/nonexistent/python3";
  EXPECT_EQ(LoadPyfunc(FixtureSpec("sklearn-ridge"), {}, options).status().code(),
            absl::StatusCode::kNotFound);
  options = {};
  options.workers = 1000;
  absl::Status s = LoadPyfunc(FixtureSpec("sklearn-ridge"), {}, options).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(StatusMessage(s).find("1000 asked"), std::string::npos) << s;
}

}  // namespace
}  // namespace ferry::runtime::python
