#include "app/families.h"

#include <chrono>

#include "runtime/mlflow/python_backend.h"
#include "runtime/python/python_backend.h"
#include "runtime/recommender/recommender_family.h"
#include "runtime/xgboost/xgboost_family.h"

namespace ferry::app {

void RegisterFamilies(runtime::FamilyRegistry& registry) {
  runtime::AddCoreFamilies(registry);
  registry.Add(runtime::NewXgboostFamily());
  registry.Add(runtime::NewRecommenderFamily());
}

void InstallPythonBackend(const cli::PythonFlags& flags) {
  runtime::python::PythonWorkerOptions options;
  options.interpreter = flags.interpreter;
  options.workers = flags.workers;
  options.request_timeout = std::chrono::seconds(flags.timeout_seconds);
  runtime::mlflow::SetPythonBackend(
      [options](const runtime::python::PyfuncSpec& spec, const ModelSchema& schema) {
        return runtime::python::LoadPyfunc(spec, schema, options);
      });
}

}  // namespace ferry::app
