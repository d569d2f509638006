#pragma once
// Test helpers for the Python worker pool: the MLflow fixtures in tests/data/mlflow-models as
// PyfuncSpecs and schemas (filled by hand from their MLmodel files, as the MLflow reader
// would), their cases.json requests as tensors, and tiny models written on the spot.

#include <string>
#include <vector>

#include "core/model_schema.h"
#include "core/tensor.h"
#include "runtime/python/pyfunc_spec.h"

namespace ferry::runtime::python::testing {

std::string FixturesDir();  // tests/data/mlflow-models

// The PyfuncSpec the MLflow reader gives for fixture `name` (sklearn-logreg, ...).
PyfuncSpec FixtureSpec(const std::string& name);

struct FixtureCase {
  ModelSchema schema;            // one [-1] input per column, outputs as in the signature
  std::vector<Tensor> inputs;    // the request's columns
  std::vector<double> expected;  // MLflow's predictions, flattened row-major
  std::vector<int64_t> expected_shape;
};
// cases.json's request and predictions for fixture `name`.
FixtureCase ReadFixtureCase(const std::string& name);

// Writes a model directory under `dir` whose `code/` holds a loader module `loader` with
// `source` (Python defining _load_pyfunc(path)); returns its PyfuncSpec.
PyfuncSpec WriteCodeModel(const std::string& dir, const std::string& loader,
                          const std::string& source);

// One FP64 column of `rows` values starting at `first` (value i = first + i).
Tensor Column(const std::string& name, int64_t rows, double first);

}  // namespace ferry::runtime::python::testing
