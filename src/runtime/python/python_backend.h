#pragma once
// Serving MLflow `python_function` models through a supervised pool of Python worker
// processes (docs/PYTHON_WORKER.md). The MLflow model reader (runtime/mlflow) fills a
// PyfuncSpec and a ModelSchema from the MLmodel file and calls LoadPyfunc.

#include <chrono>
#include <cstdint>
#include <string>

#include "common/status.h"
#include "core/model_schema.h"
#include "runtime/predictor.h"
#include "runtime/python/pyfunc_spec.h"

namespace ferry::runtime::python {

struct PythonWorkerOptions {
  // The python3 to run. A virtualenv's interpreter is fine; one inside a conda environment
  // (a conda-meta directory beside its bin/) is refused.
  std::string interpreter = "/usr/bin/python3";
  int workers = 1;  // processes; 1 ..= the machine's cores
  // Per request, queueing included. Past it the caller gets kDeadlineExceeded ("Request
  // processing time exceeded limit") and the worker running it is killed and replaced.
  std::chrono::milliseconds request_timeout{60000};  // MLflow's default (60 s)
  std::chrono::milliseconds load_timeout{120000};    // spawn + load + warm-up of one worker
  uint64_t memory_limit_bytes = uint64_t{4} << 30;   // RLIMIT_AS per worker; 0: none
  int threads = 1;                                   // BLAS/OpenMP threads per worker
  bool allow_mlflow = true;  // load with mlflow.pyfunc.load_model when `mlflow` imports
};

// What the model's predict returned, so /invocations renders MLflow's JSON: an ndarray or
// a list (1-D: a list, 2-D: a list of lists), a Series (named or not), a DataFrame (records,
// one output tensor per column), a dict (one output per key) or a scalar.
enum class OutputKind { kUnknown, kNdarray, kList, kSeries, kDataFrame, kDict, kScalar };
OutputKind ParseOutputKind(std::string_view name);
std::string_view OutputKindName(OutputKind kind);

// Starts options.workers workers, loads the model in each and warms each up on
// spec.input_example before returning. The Predictor's schema() is `schema`, its outputs
// taken from the warm-up prediction when `schema` has none. Errors: kInvalidArgument for bad
// options (a conda interpreter, a worker count outside 1..cores), kFailedPrecondition
// "loading the model failed: <Type>: <message>" when Python raised while loading, other
// codes naming the worker's exit status and last output when it died. The returned
// Predictor is a PythonPredictor (python_predictor.h); its Execution() asks serving for
// options.workers calls at once and, for the sklearn and xgboost flavors (whose rows are
// independent), dynamic batching by default; PoolStats() gives its counters.
absl::StatusOr<PredictorPtr> LoadPyfunc(const PyfuncSpec& spec, const ModelSchema& schema,
                                        const PythonWorkerOptions& options);

// kInvalidArgument when `interpreter` lies in a conda environment, kNotFound when it is not
// an executable file.
absl::Status CheckInterpreter(const std::string& interpreter);

}  // namespace ferry::runtime::python
