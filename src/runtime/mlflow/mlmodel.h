#pragma once
// An MLflow model directory's `MLmodel` file (YAML, as MLflow 2.x writes it): the flavors it
// names, the fields of the flavors Ferry reads (python_function, xgboost, sklearn), the
// signature as a ModelSchema (signature.h) and the input example. Reading it loads no model.

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"

namespace ferry::runtime::mlflow {

inline constexpr char kMlModelFile[] = "MLmodel";

// The `python_function` flavor. Paths are as written: relative to the model directory.
struct PyfuncFlavor {
  std::string loader_module;  // mlflow.sklearn, mlflow.pyfunc.model, mlflow.xgboost, ...
  std::string data;           // `model_path`, else `data` ("" if neither)
  std::string python_model;   // custom PythonModel pickle (mlflow.pyfunc.model) or ""
  std::string predict_fn;     // e.g. predict_proba; "" means predict
  std::vector<std::pair<std::string, std::string>> artifacts;  // name -> path
  std::string code;                                            // a code directory, or ""
  std::string python_version;
  std::string cloudpickle_version;
};

struct XgboostFlavor {
  std::string data;          // the model file, e.g. model.xgb
  std::string model_format;  // "xgb", "json" or "ubj"
  std::string model_class;   // xgboost.sklearn.XGBClassifier, xgboost.core.Booster, ...
  std::string xgb_version;
};

struct SklearnFlavor {
  std::string pickled_model;         // e.g. model.pkl
  std::string serialization_format;  // "cloudpickle" or "pickle"
  std::string sklearn_version;
};

struct MlModel {
  std::string path;                  // the MLmodel file read (for messages)
  std::vector<std::string> flavors;  // every flavor named, in file order
  bool has_pyfunc = false;
  bool has_xgboost = false;
  bool has_sklearn = false;
  PyfuncFlavor pyfunc;
  XgboostFlavor xgboost;
  SklearnFlavor sklearn;
  bool has_signature = false;
  ModelSchema schema;              // by the signature; empty inputs/outputs without one
  std::string input_example;       // saved_input_example_info.artifact_path, or ""
  std::string input_example_type;  // saved_input_example_info.type ("dataframe", "ndarray")
  std::string mlflow_version;
  std::string run_id;

  bool HasFlavor(std::string_view name) const;
};

// Parses the text of an MLmodel file; `path` names it in errors. kInvalidArgument as
// "PATH: FIELD: REASON" for malformed YAML (with line and column), a field of the wrong kind,
// a path leaving the model directory, or a signature that cannot be read.
absl::StatusOr<MlModel> ParseMlModel(std::string_view text, const std::string& path);

// True when `dir` holds an MLmodel file.
bool IsMlflowModelDir(const std::string& dir);

// Reads DIR/MLmodel. kNotFound when there is none; ParseMlModel's errors otherwise.
absl::StatusOr<MlModel> ReadMlModel(const std::string& dir);

}  // namespace ferry::runtime::mlflow
