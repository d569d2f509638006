#include "loader/package_loader.h"

#include <utility>

#include "common/fs.h"
#include "package/layout/layout_source.h"
#include "package/trust/verify.h"
#include "runtime/mlflow/mlmodel.h"

namespace ferry::loader {
namespace {

absl::StatusOr<std::vector<TensorSpec>> FromPackage(const std::vector<package::TensorSpec>& specs,
                                                    std::string_view side) {
  std::vector<TensorSpec> out;
  for (const package::TensorSpec& p : specs) {
    std::optional<DataType> type = ParsePackageDataType(p.type);
    if (!type) {
      return absl::InvalidArgumentError("ferry.schema." + std::string(side) + " \"" + p.name +
                                        "\": type \"" + p.type + "\" cannot be served");
    }
    out.push_back({p.name, *type, p.shape, p.columns, p.allow_nan});
  }
  return out;
}

std::vector<package::TensorSpec> ToPackage(const std::vector<TensorSpec>& specs) {
  std::vector<package::TensorSpec> out;
  for (const TensorSpec& s : specs) {
    out.push_back(
        {s.name, std::string(DataTypePackageName(s.datatype)), s.shape, s.columns, s.allow_nan});
  }
  return out;
}

// Keeps the unpacked MLflow directory of a Python-backend model for as long as the model
// is loaded: the worker reads its files after Load. The inner predictor goes first.
class DirHoldingPredictor : public runtime::Predictor {
 public:
  DirHoldingPredictor(TempDir dir, runtime::PredictorPtr inner)
      : dir_(std::move(dir)), inner_(std::move(inner)) {}

  // runtime::Predictor
  const ModelSchema& schema() const override { return inner_->schema(); }
  absl::Status Predict(const std::vector<Tensor>& inputs,
                       std::vector<Tensor>& outputs) const override {
    return inner_->Predict(inputs, outputs);
  }
  absl::Status Ready() const override { return inner_->Ready(); }
  runtime::ExecutionHint Execution() const override { return inner_->Execution(); }
  std::optional<runtime::WorkerPoolStats> PoolStats() const override { return inner_->PoolStats(); }

 private:
  TempDir dir_;
  runtime::PredictorPtr inner_;
};

std::string ParentDir(const std::string& entry) {
  const size_t slash = entry.rfind('/');
  return slash == std::string::npos ? std::string() : entry.substr(0, slash);
}

std::string BaseName(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The MLflow model of an unpacked package (its MLmodel at `entry`) into `loaded`.
absl::Status LoadUnpackedMlflow(const std::string& files_dir, const std::string& entry,
                                const LoadOptions& options, const SignatureCheck& signature,
                                TempDir& dir, LoadedPackage& loaded) {
  const std::string parent = ParentDir(entry);
  const std::string model_dir = parent.empty() ? files_dir : JoinPath(files_dir, parent);
  ASSIGN_OR_RETURN(LoadedMlflow m, LoadMlflowDir(model_dir, loaded.contents.config.descriptor.name,
                                                 options, signature));
  loaded.family = "mlflow-" + m.backend;
  loaded.backend_reason = m.reason;
  loaded.predictor = std::move(m.predictor);
  if (m.backend == "python") {
    loaded.predictor =
        std::make_unique<DirHoldingPredictor>(std::move(dir), std::move(loaded.predictor));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ModelSchema> SchemaFromPackage(const package::FerryFields& fields) {
  ModelSchema schema;
  ASSIGN_OR_RETURN(schema.inputs, FromPackage(fields.inputs, "inputs"));
  ASSIGN_OR_RETURN(schema.outputs, FromPackage(fields.outputs, "outputs"));
  return schema;
}

void SchemaToPackage(const ModelSchema& schema, package::FerryFields& fields) {
  fields.inputs = ToPackage(schema.inputs);
  fields.outputs = ToPackage(schema.outputs);
}

absl::StatusOr<LoadedPackage> LoadPackage(const runtime::FamilyRegistry& families,
                                          const std::string& path, const std::string& ref,
                                          const LoadOptions& options) {
  package::LayoutSource source;
  RETURN_IF_ERROR(source.Open(path));
  ASSIGN_OR_RETURN(TempDir dir, TempDir::Create("ferry-model"));
  const std::string files_dir = dir.path() + "/files";
  LoadedPackage loaded;
  ASSIGN_OR_RETURN(loaded.contents, package::Unpack(source.layout(), ref, files_dir));
  const auto& predictor = loaded.contents.config.ferry.predictor;
  if (predictor && predictor->kind == "pyfunc") {
    const SignatureCheck signature = [&](const package::TrustPolicy& policy) {
      return package::VerifyPackage(source.layout(), ref, &policy).status();
    };
    RETURN_IF_ERROR(
        LoadUnpackedMlflow(files_dir, predictor->entry, options, signature, dir, loaded));
    return loaded;
  }
  if (!predictor || predictor->kind != "builtin") {
    return absl::FailedPreconditionError(
        "package " + loaded.contents.config.descriptor.name +
        " has no builtin predictor (ferry.predictor.kind \"builtin\" with a family) and is "
        "not an MLflow model; Ferry serves the families " +
        families.Names());
  }
  const runtime::Family* family = families.Find(predictor->family);
  if (family == nullptr) {
    return absl::FailedPreconditionError("package names predictor family \"" + predictor->family +
                                         "\"; this ferry knows " + families.Names());
  }
  runtime::ModelFiles files{files_dir, {}};
  ASSIGN_OR_RETURN(files.schema, SchemaFromPackage(loaded.contents.config.ferry));
  ASSIGN_OR_RETURN(loaded.predictor, family->Load(files));
  loaded.family = predictor->family;
  return loaded;
}

bool IsBareMlflowDir(const std::string& path) {
  return runtime::mlflow::IsMlflowModelDir(path) && !PathExists(JoinPath(path, "index.json"));
}

std::string BareMlflowName(const std::string& path) { return BaseName(path); }

absl::StatusOr<LoadedPackage> LoadModelSource(const runtime::FamilyRegistry& families,
                                              const std::string& path, const LoadOptions& options) {
  if (!IsBareMlflowDir(path)) return LoadPackage(families, path, "", options);
  LoadedPackage loaded;
  const std::string name = BaseName(path);
  ASSIGN_OR_RETURN(LoadedMlflow m, LoadMlflowDir(path, name, options, nullptr));
  loaded.predictor = std::move(m.predictor);
  loaded.family = "mlflow-" + m.backend;
  loaded.backend_reason = m.reason;
  loaded.contents.config.descriptor.name = name;
  return loaded;
}

}  // namespace ferry::loader
