#pragma once
// The model families this binary serves and trains, registered here, in the composition
// root: runtime's core families (linear, logistic) and the separate libraries (xgboost over
// libxgboost, the session recommender), and the Python backend of MLflow models. runtime
// links none of the optional ones.

#include "cli/server/python_flags.h"
#include "runtime/family.h"

namespace ferry::app {

// Adds every family Ferry ships: linear, logistic, xgboost, recommender.
void RegisterFamilies(runtime::FamilyRegistry& registry);

// Gives MLflow python_function models (runtime/mlflow) the supervised Python worker pool
// (runtime/python), run as `flags` say. Call once before any model loads.
void InstallPythonBackend(const cli::PythonFlags& flags);

}  // namespace ferry::app
