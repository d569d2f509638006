#pragma once
// The seam between MLflow models and the Python worker pool. runtime/mlflow does not link the
// pool (runtime/python); app sets the factory once at start-up, before any model loads, e.g.
//   SetPythonBackend([opts](const python::PyfuncSpec& s, const ModelSchema& m) {
//     return python::LoadPyfunc(s, m, opts);
//   });
// Without it, python-backend models fail to load with kFailedPrecondition saying so.

#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "core/model_schema.h"
#include "runtime/mlflow/mlmodel.h"
#include "runtime/predictor.h"
#include "runtime/python/pyfunc_spec.h"

namespace ferry::runtime::mlflow {

using PythonBackendFactory = std::function<absl::StatusOr<PredictorPtr>(
    const python::PyfuncSpec& spec, const ModelSchema& schema)>;

// Sets (or, with an empty function, clears) the process's Python backend. Not thread-safe:
// call before models load.
void SetPythonBackend(PythonBackendFactory factory);

// True once SetPythonBackend was given a factory.
bool HasPythonBackend();

// The PyfuncSpec of `m` read from `model_dir` (made absolute).
python::PyfuncSpec PyfuncSpecFor(const MlModel& m, const std::string& model_dir);

// Loads through the factory. kFailedPrecondition "model NAME needs the Python worker backend
// (flavor FLAVOR via python_function), which this build does not have" when none is set.
absl::StatusOr<PredictorPtr> LoadWithPythonBackend(std::string_view model_name,
                                                   std::string_view flavor,
                                                   const python::PyfuncSpec& spec,
                                                   const ModelSchema& schema);

}  // namespace ferry::runtime::mlflow
