#pragma once
// Ferry's models as MLflow model directories, so the MLflow client loads what Ferry trained:
// `mlflow.pyfunc.load_model(DIR or models:/NAME@alias)`. A family writes, beside its own
// files, an `MLmodel` whose python_function flavor names a small loader module shipped in the
// model's code/ directory (numpy only), plus requirements.txt. Reading MLmodel files is
// runtime/mlflow's; this part only writes them.

#include <string>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"

namespace ferry::runtime::mlflow_export {

struct CodeFile {
  std::string name;    // e.g. ferry_linear.py
  std::string source;  // Python source
};

struct PyfuncExport {
  std::string data;            // the model file, relative to the directory (e.g. model.json)
  std::string loader_module;   // the module in code/ with _load_pyfunc(data_path)
  std::vector<CodeFile> code;  // written to code/: the loader and what it imports
  std::vector<std::string> requirements;  // requirements.txt lines (e.g. "numpy")
};

// The MLflow signature of `schema`: a tabular input ([-1, F] with F column names) becomes
// F double columns; other inputs tensor specs. The first output becomes the output: a
// tensor spec (int64, float64, ...) or a string column for BYTES labels. JSON, as MLmodel
// stores it ({"inputs": "...", "outputs": "..."} are these strings).
std::string SignatureInputsJson(const ModelSchema& schema);
std::string SignatureOutputsJson(const ModelSchema& schema);
// A model with a "probabilities" output takes the parameter predict_method ("predict" or
// "predict_proba"), declared so MLflow passes it through; "" when there is none.
std::string SignatureParamsJson(const ModelSchema& schema);

// The MLmodel text: python_function flavor (loader_module, data, code: code), signature,
// mlflow_version (the MLmodel format followed: 2.12.2), model_uuid and utc_time_created.
std::string MlmodelText(const ModelSchema& schema, const PyfuncExport& e);

// Writes MLmodel, the code files into code/ and requirements.txt into `dir` (existing,
// holding e.data already).
absl::Status WriteMlflowModel(const std::string& dir, const ModelSchema& schema,
                              const PyfuncExport& e);

// The export of Ferry's linear and logistic format (model.json): loader `ferry_linear`.
PyfuncExport LinearPyfunc();
// The export of Ferry's xgboost format (model.ubj + ferry-xgboost.json): loader
// `ferry_xgboost`, which needs the xgboost Python package.
PyfuncExport XgboostPyfunc();

}  // namespace ferry::runtime::mlflow_export
