#include "runtime/python/testing/python_fixtures.h"

#include <cstdio>
#include <cstdlib>

#include "common/fs.h"
#include "common/json.h"

namespace ferry::runtime::python::testing {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "python_fixtures: %s\n", what.c_str());
  std::abort();
}

JsonValue ReadCases() {
  absl::StatusOr<std::string> text = ReadFile(JoinPath(FixturesDir(), "cases.json"));
  if (!text.ok()) Die(text.status().ToString());
  absl::StatusOr<JsonValue> json = ParseJson(*text);
  if (!json.ok()) Die(json.status().ToString());
  return *std::move(json);
}

void Flatten(const JsonValue& v, std::vector<double>& out, std::vector<int64_t>& shape,
             size_t depth) {
  if (!v.is_array()) {
    out.push_back(v.as_double());
    return;
  }
  if (shape.size() <= depth) shape.push_back(static_cast<int64_t>(v.items().size()));
  for (const JsonValue& item : v.items()) Flatten(item, out, shape, depth + 1);
}

}  // namespace

std::string FixturesDir() { return JoinPath(FERRY_TEST_DATA_DIR, "mlflow-models"); }

PyfuncSpec FixtureSpec(const std::string& name) {
  PyfuncSpec spec;
  spec.model_dir = JoinPath(FixturesDir(), name);
  spec.python_version = "3.11.2";
  if (name == "pyfunc-custom") {
    spec.loader_module = "mlflow.pyfunc.model";
    spec.python_model = "python_model.pkl";
    spec.artifacts = {{"weights", "artifacts/weights.json"}};
    spec.input_example = "input_example.json";
    spec.cloudpickle_version = "2.2.0";
    return spec;
  }
  spec.loader_module = "mlflow.sklearn";
  spec.data = "model.pkl";
  spec.predict_fn = name == "sklearn-rf-proba" ? "predict_proba" : "predict";
  spec.sklearn_version = "1.2.1";
  if (name == "sklearn-logreg") spec.input_example = "input_example.json";
  return spec;
}

FixtureCase ReadFixtureCase(const std::string& name) {
  const JsonValue cases = ReadCases();
  const JsonValue* c = cases.Find(name);
  if (c == nullptr) Die("no case " + name);
  const JsonValue& split = *c->Find("request_invocations")->Find("dataframe_split");
  const auto& columns = split.Find("columns")->items();
  const auto& rows = split.Find("data")->items();
  FixtureCase out;
  for (size_t j = 0; j < columns.size(); ++j) {
    const std::string& col = columns[j].as_string();
    const int64_t n = static_cast<int64_t>(rows.size());
    TensorSpec spec{col, DataType::kFp64, {-1}, {}, false};
    if (rows[0].items()[j].is_string()) {
      std::vector<std::string> v;
      for (const JsonValue& r : rows) v.push_back(r.items()[j].as_string());
      out.inputs.push_back(MakeBytesTensor(col, {n}, v));
      spec.datatype = DataType::kBytes;
    } else {
      std::vector<double> v;
      for (const JsonValue& r : rows) v.push_back(r.items()[j].as_double());
      out.inputs.push_back(MakeFp64Tensor(col, {n}, v));
    }
    out.schema.inputs.push_back(spec);
  }
  Flatten(*c->Find("expected_predictions"), out.expected, out.expected_shape, 0);
  TensorSpec output{"predictions", DataType::kFp64, {-1}, {}, false};
  if (name == "sklearn-logreg") output.datatype = DataType::kInt64;
  if (name == "sklearn-rf-proba") output.shape = {-1, 3};
  out.schema.outputs.push_back(output);
  return out;
}

PyfuncSpec WriteCodeModel(const std::string& dir, const std::string& loader,
                          const std::string& source) {
  if (!MakeDirs(JoinPath(dir, "code")).ok() ||
      !WriteFileAtomic(JoinPath(dir, "code/" + loader + ".py"), source).ok() ||
      !WriteFileAtomic(JoinPath(dir, "MLmodel"), "flavors: {}\n").ok()) {
    Die("cannot write a code model in " + dir);
  }
  PyfuncSpec spec;
  spec.model_dir = dir;
  spec.loader_module = loader;
  spec.code = "code";
  return spec;
}

Tensor Column(const std::string& name, int64_t rows, double first) {
  std::vector<double> v;
  for (int64_t i = 0; i < rows; ++i) v.push_back(first + static_cast<double>(i));
  return MakeFp64Tensor(name, {rows}, v);
}

}  // namespace ferry::runtime::python::testing
