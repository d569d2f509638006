#include "runtime/python/python_backend.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <thread>

#include "common/fs.h"
#include "common/logging.h"
#include "common/strings.h"
#include "runtime/python/python_predictor.h"
#include "runtime/python/worker_script.h"
#include "runtime/python/worker_tensors.h"

namespace ferry::runtime::python {
namespace {

constexpr std::pair<OutputKind, std::string_view> kKinds[] = {
    {OutputKind::kNdarray, "ndarray"}, {OutputKind::kList, "list"},
    {OutputKind::kSeries, "series"},   {OutputKind::kDataFrame, "dataframe"},
    {OutputKind::kDict, "dict"},       {OutputKind::kScalar, "scalar"},
};

std::string Parent(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

// A conda environment keeps conda-meta/ beside bin/.
bool InCondaEnv(const std::string& interpreter) {
  const std::string env = Parent(Parent(interpreter));
  return PathExists(JoinPath(env, "conda-meta"));
}

absl::Status CheckOptions(const PythonWorkerOptions& options) {
  RETURN_IF_ERROR(CheckInterpreter(options.interpreter));
  const int cores = std::max(1u, std::thread::hardware_concurrency());
  if (options.workers < 1 || options.workers > cores) {
    return absl::InvalidArgumentError(StrCat("Python workers: ", options.workers,
                                             " asked, between 1 and ", cores,
                                             " (the cores here) allowed"));
  }
  if (options.threads < 1 || options.request_timeout.count() <= 0 ||
      options.load_timeout.count() <= 0) {
    return absl::InvalidArgumentError("Python workers: threads and timeouts must be positive");
  }
  return absl::OkStatus();
}

Frame LoadFrame(const PyfuncSpec& spec, const ModelSchema& schema,
                const PythonWorkerOptions& options) {
  Frame load;
  load.type = FrameType::kLoad;
  load.params = {
      {"model_dir", spec.model_dir},
      {"loader_module", spec.loader_module},
      {"data", spec.data},
      {"python_model", spec.python_model},
      {"predict_fn", spec.predict_fn},
      {"code", spec.code},
      {"allow_mlflow", options.allow_mlflow ? "1" : "0"},
      {"input_form", IsColumnSchema(schema) ? "dataframe" : "tensor"},
  };
  for (const auto& [name, path] : spec.artifacts)
    load.params.emplace_back("artifact." + name, path);
  return load;
}

absl::Status AddWarmUp(const PyfuncSpec& spec, const ModelSchema& schema, Frame& load) {
  if (spec.input_example.empty() || !IsColumnSchema(schema)) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string json, ReadFile(JoinPath(spec.model_dir, spec.input_example)));
  ASSIGN_OR_RETURN(std::vector<Tensor> columns, ReadInputExample(json, schema));
  return PrepareInputs(ModelSchema{}, columns, load.tensors);
}

std::string MajorMinor(std::string_view version) {
  const size_t first = version.find('.');
  return std::string(
      version.substr(0, version.find('.', first == std::string_view::npos ? first : first + 1)));
}

// MLflow warns when the model was saved with another Python (major.minor); sklearn does not
// promise that a pickle loads in another version. Both are logged, not refused.
void WarnAboutVersions(const PyfuncSpec& spec, const PythonPredictor& pool) {
  auto info = [&](std::string_view key) -> std::string {
    for (const auto& [k, v] : pool.load_info()) {
      if (k == key) return v;
    }
    return "";
  };
  const std::pair<std::string, std::string> checks[] = {
      {MajorMinor(spec.python_version), MajorMinor(info("python_version"))},
      {spec.sklearn_version, info("sklearn_version")},
      {spec.cloudpickle_version, info("cloudpickle_version")},
  };
  const char* names[] = {"python", "scikit-learn", "cloudpickle"};
  for (size_t i = 0; i < std::size(checks); ++i) {
    const auto& [saved, here] = checks[i];
    if (saved.empty() || here.empty() || saved == here) continue;
    LogWarn("model saved with another version than the Python worker has",
            {{"model", spec.model_dir}, {"package", names[i]}, {"saved", saved}, {"worker", here}});
  }
}

// Flavors whose predict treats each row on its own: batching them cannot change an answer.
bool BatchesByDefault(const PyfuncSpec& spec) {
  return spec.loader_module == "mlflow.sklearn" || spec.loader_module == "mlflow.xgboost";
}

}  // namespace

OutputKind ParseOutputKind(std::string_view name) {
  for (const auto& [kind, text] : kKinds) {
    if (text == name) return kind;
  }
  return OutputKind::kUnknown;
}

std::string_view OutputKindName(OutputKind kind) {
  for (const auto& [k, text] : kKinds) {
    if (k == kind) return text;
  }
  return "unknown";
}

absl::Status CheckInterpreter(const std::string& interpreter) {
  char resolved[PATH_MAX];
  if (interpreter.empty() || realpath(interpreter.c_str(), resolved) == nullptr) {
    return absl::NotFoundError(StrCat("Python interpreter \"", interpreter, "\" not found"));
  }
  for (const std::string& path : {interpreter, std::string(resolved)}) {
    if (InCondaEnv(path)) {
      return absl::InvalidArgumentError(
          StrCat("Python interpreter ", interpreter, " is inside a conda environment (",
                 JoinPath(Parent(Parent(path)), "conda-meta"),
                 " exists): conda environments are not supported; use /usr/bin/python3 or a "
                 "virtualenv's python"));
    }
  }
  struct stat st;
  if (stat(resolved, &st) != 0 || !S_ISREG(st.st_mode) || access(resolved, X_OK) != 0) {
    return absl::NotFoundError(
        StrCat("Python interpreter \"", interpreter, "\" is not an executable file"));
  }
  return absl::OkStatus();
}

absl::StatusOr<PredictorPtr> LoadPyfunc(const PyfuncSpec& spec, const ModelSchema& schema,
                                        const PythonWorkerOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  PoolConfig config;
  config.launch.interpreter = options.interpreter;
  config.launch.script = std::string(WorkerScript());
  config.launch.home = spec.model_dir;
  config.launch.threads = options.threads;
  config.launch.memory_limit_bytes = options.memory_limit_bytes;
  config.load = LoadFrame(spec, schema, options);
  RETURN_IF_ERROR(AddWarmUp(spec, schema, config.load));
  config.workers = options.workers;
  config.request_timeout = options.request_timeout;
  config.load_timeout = options.load_timeout;
  config.schema = schema;
  config.batch_by_default = BatchesByDefault(spec);
  ASSIGN_OR_RETURN(std::unique_ptr<PythonPredictor> pool,
                   PythonPredictor::Start(std::move(config)));
  WarnAboutVersions(spec, *pool);
  return PredictorPtr(std::move(pool));
}

}  // namespace ferry::runtime::python
