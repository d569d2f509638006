#include "loader/mlflow_model.h"

#include "common/fs.h"
#include "loader/package_loader.h"
#include "runtime/mlflow/backend.h"
#include "runtime/mlflow/mlmodel.h"
#include "runtime/mlflow/python_backend.h"
#include "runtime/mlflow/xgboost_flavor.h"

namespace ferry::loader {
namespace {

namespace mlflow = ::ferry::runtime::mlflow;

constexpr int64_t kMaxMlModelBytes = int64_t{1} << 20;

// What the model's Python loader would run, for the refusal message.
std::string PickleWhat(const mlflow::MlModel& m) {
  std::string file;
  if (mlflow::LoadsPickle(m, &file)) return "loads a pickle (" + file + ")";
  return "runs Python code from its files (loader_module " + m.pyfunc.loader_module + ")";
}

absl::Status CheckPickleTrust(const mlflow::MlModel& m, const std::string& name,
                              const LoadOptions& options, const SignatureCheck& signature) {
  if (options.allow_unsigned_pickle) return absl::OkStatus();
  std::string why;
  if (!signature) {
    why = "it is not in a signed package";
  } else if (options.trust_policy == nullptr) {
    why = "no trust policy was given to verify its package's signature";
  } else {
    absl::Status s = signature(*options.trust_policy);
    if (s.ok()) return absl::OkStatus();
    why = "its package's signature did not verify: " + std::string(s.message());
  }
  return absl::FailedPreconditionError(
      "model " + name + " " + PickleWhat(m) + " and " + why +
      "; sign the package (`ferry package sign`) and serve it under a trust policy "
      "(--trust-policy), or pass --allow-unsigned-pickle to load it anyway");
}

// The layer of `contents` stored at `path` inside the package, or nullptr.
const package::Descriptor* LayerAt(const package::PackageContents& contents,
                                   const std::string& path) {
  for (const package::Descriptor& d : contents.manifest.layers) {
    if (d.Annotation(package::kAnnotationFilepath) == path) return &d;
  }
  return nullptr;
}

}  // namespace

absl::Status DescribeMlflowModel(const std::string& model_dir, package::PackageConfig& c) {
  if (!mlflow::IsMlflowModelDir(model_dir)) return absl::OkStatus();
  // A predictor ferry-package.json names explicitly (builtin, command) wins over MLmodel.
  if (c.ferry.predictor && c.ferry.predictor->kind != "pyfunc") return absl::OkStatus();
  ASSIGN_OR_RETURN(mlflow::MlModel m, mlflow::ReadMlModel(model_dir));
  const mlflow::BackendChoice choice = mlflow::ChooseBackend(m);
  RETURN_IF_ERROR(mlflow::CheckServable(choice, c.descriptor.name));
  c.ferry.predictor = package::PredictorEntry{"pyfunc",
                                              "mlflow",
                                              choice.flavor,
                                              mlflow::kMlModelFile,
                                              std::string(mlflow::BackendName(choice.backend)),
                                              choice.reason};
  if (m.has_signature) SchemaToPackage(m.schema, c.ferry);
  if (c.ferry.source_run_id.empty()) c.ferry.source_run_id = m.run_id;
  if (c.config.format.empty()) c.config.format = "mlflow";
  return absl::OkStatus();
}

absl::StatusOr<PackageBackendInfo> PackageBackend(package::LayoutReader& layout,
                                                  const package::PackageContents& contents) {
  const auto& predictor = contents.config.ferry.predictor;
  if (!predictor) return PackageBackendInfo{"none", "the package names no predictor"};
  if (predictor->kind == "builtin") {
    return PackageBackendInfo{predictor->family,
                              "Ferry's own package: family " + predictor->family + ", native"};
  }
  if (predictor->kind == "command") {
    return PackageBackendInfo{"command", "runs the package's command " + predictor->entry};
  }
  const package::Descriptor* layer = LayerAt(contents, predictor->entry);
  if (layer == nullptr) {
    return absl::InvalidArgumentError("ferry.predictor.entry \"" + predictor->entry +
                                      "\": no such file in the package");
  }
  ASSIGN_OR_RETURN(std::string text, layout.ReadBlob(layer->digest, kMaxMlModelBytes));
  ASSIGN_OR_RETURN(mlflow::MlModel m, mlflow::ParseMlModel(text, predictor->entry));
  const mlflow::BackendChoice choice = mlflow::ChooseBackend(m);
  return PackageBackendInfo{std::string(mlflow::BackendName(choice.backend)), choice.reason};
}

absl::StatusOr<LoadedMlflow> LoadMlflowDir(const std::string& dir, const std::string& name,
                                           const LoadOptions& options,
                                           const SignatureCheck& signature) {
  ASSIGN_OR_RETURN(mlflow::MlModel m, mlflow::ReadMlModel(dir));
  const mlflow::BackendChoice choice = mlflow::ChooseBackend(m);
  RETURN_IF_ERROR(mlflow::CheckServable(choice, name));
  LoadedMlflow out;
  out.backend = std::string(mlflow::BackendName(choice.backend));
  out.reason = choice.reason;
  if (choice.backend == mlflow::Backend::kNativeXgboost) {
    ASSIGN_OR_RETURN(out.predictor, mlflow::LoadXgboostFlavor(m, dir));
    return out;
  }
  RETURN_IF_ERROR(CheckPickleTrust(m, name, options, signature));
  ASSIGN_OR_RETURN(
      out.predictor,
      mlflow::LoadWithPythonBackend(name, choice.flavor, mlflow::PyfuncSpecFor(m, dir), m.schema));
  return out;
}

}  // namespace ferry::loader
