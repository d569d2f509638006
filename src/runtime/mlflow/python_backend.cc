#include "runtime/mlflow/python_backend.h"

#include <climits>
#include <cstdlib>
#include <utility>

namespace ferry::runtime::mlflow {
namespace {

PythonBackendFactory& Factory() {
  static PythonBackendFactory* factory = new PythonBackendFactory();
  return *factory;
}

std::string Absolute(const std::string& dir) {
  char buf[PATH_MAX];
  if (::realpath(dir.c_str(), buf) != nullptr) return buf;
  return dir;
}

}  // namespace

void SetPythonBackend(PythonBackendFactory factory) { Factory() = std::move(factory); }

bool HasPythonBackend() { return static_cast<bool>(Factory()); }

python::PyfuncSpec PyfuncSpecFor(const MlModel& m, const std::string& model_dir) {
  python::PyfuncSpec s;
  const PyfuncFlavor& p = m.pyfunc;
  s.model_dir = Absolute(model_dir);
  s.loader_module = p.loader_module;
  s.data = p.data;
  s.python_model = p.python_model;
  s.predict_fn = p.predict_fn;
  s.artifacts = p.artifacts;
  s.code = p.code;
  s.input_example = m.input_example;
  s.python_version = p.python_version;
  s.sklearn_version = m.sklearn.sklearn_version;
  s.cloudpickle_version = p.cloudpickle_version;
  return s;
}

absl::StatusOr<PredictorPtr> LoadWithPythonBackend(std::string_view model_name,
                                                   std::string_view flavor,
                                                   const python::PyfuncSpec& spec,
                                                   const ModelSchema& schema) {
  if (!HasPythonBackend()) {
    std::string via = flavor == "python_function" ? "" : " via python_function";
    return absl::FailedPreconditionError(
        "model " + std::string(model_name) + " needs the Python worker backend (flavor " +
        std::string(flavor) + via + "), which this build does not have");
  }
  return Factory()(spec, schema);
}

}  // namespace ferry::runtime::mlflow
