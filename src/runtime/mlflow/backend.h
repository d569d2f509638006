#pragma once
// Which backend serves an MLflow model, and why. One decision, used by every path that meets
// an MLflow model: loading (serve, predict, --deploy), `ferry package build`, registration
// and `ferry package inspect` (which shows the reason).
//
//   xgboost flavor, a model class and inputs Ferry can run  -> native (libxgboost, no Python)
//   python_function flavor (sklearn, custom pyfunc, ...)     -> the Python worker
//   neither                                                  -> refused, naming the flavors
//                                                               and what would serve them

#include <string>
#include <string_view>

#include "common/status.h"
#include "runtime/mlflow/mlmodel.h"

namespace ferry::runtime::mlflow {

enum class Backend {
  kNativeXgboost,  // runtime/mlflow/xgboost_flavor.h over libxgboost
  kPython,         // the Python worker pool (python_backend.h)
  kNone,           // nothing here can serve it
};

// "xgboost" (native), "python", "none": the names recorded in package configs.
std::string_view BackendName(Backend b);

struct BackendChoice {
  Backend backend = Backend::kNone;
  // The flavor the backend serves: "xgboost", "sklearn", "python_function" (a custom pyfunc
  // or another loader_module); for kNone, the flavors found, comma-separated.
  std::string flavor;
  // One sentence for people: why this backend, or why none.
  std::string reason;
};

// Decides for `m`. Never fails: a model nothing can serve gives kNone with the reason.
BackendChoice ChooseBackend(const MlModel& m);

// OK unless `choice` is kNone; then kFailedPrecondition "model NAME cannot be served: REASON".
absl::Status CheckServable(const BackendChoice& choice, std::string_view model_name);

// Whether loading `m` in Python unpickles files or imports code from the model directory
// (sklearn pickles, a custom python_model, a `code` directory, a *.pkl/*.pickle data file):
// such models load only from a package whose signature verifies, or with
// --allow-unsigned-pickle. Fills `what` with the first such file, for the message.
bool LoadsPickle(const MlModel& m, std::string* what);

}  // namespace ferry::runtime::mlflow
