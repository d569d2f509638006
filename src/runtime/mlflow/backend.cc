#include "runtime/mlflow/backend.h"

#include <algorithm>

#include "common/strings.h"

namespace ferry::runtime::mlflow {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The model classes whose pyfunc predict Ferry reproduces natively.
bool NativeModelClass(std::string_view c) {
  return EndsWith(c, ".XGBClassifier") || EndsWith(c, ".XGBRegressor") ||
         EndsWith(c, ".XGBRFClassifier") || EndsWith(c, ".XGBRFRegressor") ||
         c == "xgboost.core.Booster";
}

bool NumericSpec(const TensorSpec& s) { return s.datatype != DataType::kBytes; }

// Empty when the native xgboost backend can serve `m`, else why not.
std::string WhyNotNative(const MlModel& m) {
  const XgboostFlavor& x = m.xgboost;
  if (x.model_format != "xgb" && x.model_format != "json" && x.model_format != "ubj" &&
      !x.model_format.empty()) {
    return "xgboost model_format \"" + x.model_format + "\" is not one libxgboost loads";
  }
  if (!NativeModelClass(x.model_class)) {
    return "xgboost model_class \"" + x.model_class + "\" has no native predict in Ferry";
  }
  const auto& in = m.schema.inputs;
  if (!std::all_of(in.begin(), in.end(), NumericSpec)) {
    return "the signature has non-numeric inputs, which xgboost cannot take";
  }
  const bool tensor_input = in.size() == 1 && in[0].shape.size() == 2;
  const bool columns =
      std::all_of(in.begin(), in.end(), [](const TensorSpec& s) { return s.shape.size() == 1; });
  if (!tensor_input && !columns) {
    return "the signature's inputs are neither columns nor one [N, F] tensor";
  }
  return "";
}

BackendChoice Native(const MlModel& m) {
  const std::string cls = m.xgboost.model_class.substr(m.xgboost.model_class.rfind('.') + 1);
  return {Backend::kNativeXgboost, "xgboost",
          "flavor xgboost (" + cls + ", " + m.xgboost.data +
              ") runs natively on libxgboost, without Python"};
}

BackendChoice Python(const MlModel& m, const std::string& why_not_native) {
  const PyfuncFlavor& p = m.pyfunc;
  BackendChoice c{Backend::kPython, "python_function", ""};
  if (m.has_sklearn) {
    c.flavor = "sklearn";
    c.reason = "flavor sklearn via python_function (loader_module " + p.loader_module +
               ") needs Python: served by the Python worker";
  } else if (!p.python_model.empty()) {
    c.reason = "flavor python_function (custom PythonModel " + p.python_model +
               ") needs Python: served by the Python worker";
  } else {
    c.reason = "flavor python_function (loader_module " + p.loader_module +
               ") needs Python: served by the Python worker";
  }
  if (!why_not_native.empty()) c.reason += " (not native: " + why_not_native + ")";
  return c;
}

// What would serve a model without python_function or a native flavor.
std::string WhatWouldServe(const MlModel& m) {
  if (m.HasFlavor("onnx")) {
    return "Ferry has no native ONNX backend; log it with a python_function flavor "
           "(mlflow.onnx.log_model writes one) and onnxruntime in the worker's Python";
  }
  if (m.HasFlavor("lightgbm")) {
    return "Ferry has no native LightGBM backend; log it with mlflow.lightgbm.log_model, which "
           "adds a python_function flavor, and lightgbm in the worker's Python";
  }
  return "Ferry serves the xgboost flavor natively and python_function through the Python "
         "worker; log the model with a python_function flavor";
}

}  // namespace

std::string_view BackendName(Backend b) {
  switch (b) {
    case Backend::kNativeXgboost:
      return "xgboost";
    case Backend::kPython:
      return "python";
    case Backend::kNone:
      break;
  }
  return "none";
}

BackendChoice ChooseBackend(const MlModel& m) {
  std::string why_not_native;
  if (m.has_xgboost) {
    why_not_native = WhyNotNative(m);
    if (why_not_native.empty()) return Native(m);
  }
  if (m.has_pyfunc) return Python(m, why_not_native);
  std::string flavors;
  for (const std::string& f : m.flavors) flavors += (flavors.empty() ? "" : ", ") + f;
  std::string reason = "flavor" + std::string(m.flavors.size() == 1 ? " " : "s ") + flavors +
                       ": no python_function flavor";
  if (!why_not_native.empty()) reason += " and " + why_not_native;
  return {Backend::kNone, flavors, reason + "; " + WhatWouldServe(m)};
}

absl::Status CheckServable(const BackendChoice& choice, std::string_view model_name) {
  if (choice.backend != Backend::kNone) return absl::OkStatus();
  return absl::FailedPreconditionError("model " + std::string(model_name) +
                                       " cannot be served: " + choice.reason);
}

bool LoadsPickle(const MlModel& m, std::string* what) {
  auto found = [what](const std::string& file) {
    if (what != nullptr) *what = file;
    return true;
  };
  if (!m.pyfunc.python_model.empty()) return found(m.pyfunc.python_model);
  if (m.has_sklearn && !m.sklearn.pickled_model.empty()) return found(m.sklearn.pickled_model);
  const std::string& data = m.pyfunc.data;
  if (EndsWith(data, ".pkl") || EndsWith(data, ".pickle")) return found(data);
  if (!m.pyfunc.code.empty()) return found(m.pyfunc.code + "/ (code)");
  return false;
}

}  // namespace ferry::runtime::mlflow
