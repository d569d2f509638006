#pragma once
// What the Python worker needs to load one MLflow `python_function` model: the fields of the
// MLmodel file's `python_function` flavor, resolved against the model directory. Filled by
// the MLflow model reader (runtime/mlflow), consumed by the worker pool (runtime/python).
// Plain data, no behaviour.

#include <string>
#include <utility>
#include <vector>

namespace ferry::runtime::python {

struct PyfuncSpec {
  std::string model_dir;  // absolute path of the MLflow model directory (holds MLmodel)
  std::string
      loader_module;  // python_function.loader_module: mlflow.sklearn, mlflow.pyfunc.model, ...
  std::string data;   // python_function.model_path or .data, relative to model_dir ("" if none)
  std::string python_model;  // python_function.python_model (custom PythonModel pickle) or ""
  std::string predict_fn;    // python_function.predict_fn (e.g. predict_proba); "" means predict
  // python_function.artifacts: name -> path relative to model_dir (PythonModelContext.artifacts).
  std::vector<std::pair<std::string, std::string>> artifacts;
  // python_function.code (a directory relative to model_dir put on sys.path), or "".
  std::string code;
  // saved_input_example_info.artifact_path relative to model_dir (warm-up input), or "".
  std::string input_example;
  std::string python_version;  // python_function.python_version, e.g. 3.11.2 ("" if absent)
  // Versions the model was saved with, for the interpreter check: sklearn_version,
  // cloudpickle_version, xgb_version ("" when absent).
  std::string sklearn_version;
  std::string cloudpickle_version;
};

}  // namespace ferry::runtime::python
