#include "cli/package/servable_check.h"

#include "cli/mlflow/run_artifacts.h"
#include "cli/mlflow/server_client.h"
#include "cli/mlflow/tracking_client.h"
#include "common/fs.h"
#include "common/strings.h"
#include "loader/mlflow_model.h"
#include "net/http_client.h"
#include "package/build/contents.h"
#include "package/layout/layout_source.h"
#include "runtime/mlflow/backend.h"
#include "runtime/mlflow/mlmodel.h"

namespace ferry::cli {
namespace {

namespace mlflow = ::ferry::runtime::mlflow;

absl::Status CheckMlModel(const std::string& name, const absl::StatusOr<mlflow::MlModel>& m) {
  if (absl::IsNotFound(m.status())) return absl::OkStatus();  // not an MLflow model
  RETURN_IF_ERROR(m.status());
  return mlflow::CheckServable(mlflow::ChooseBackend(*m), name);
}

// Reads PATH/MLmodel of the run's artifacts; kNotFound when there is none.
absl::StatusOr<mlflow::MlModel> ReadRunMlModel(const std::string& source,
                                               const std::string& tracking_uri) {
  ASSIGN_OR_RETURN(RunsUri uri, ParseRunsUri(source));
  ASSIGN_OR_RETURN(HttpClient http, ServerClient(tracking_uri));
  TrackingClient client(http);
  ASSIGN_OR_RETURN(RunDetails run, client.GetRun(uri.run_id));
  ASSIGN_OR_RETURN(TempDir dir, TempDir::Create("ferry-mlmodel"));
  const std::string rel = uri.path.empty() ? mlflow::kMlModelFile : uri.path + "/MLmodel";
  absl::Status got =
      client.DownloadArtifact(run.artifact_uri, rel, JoinPath(dir.path(), "MLmodel"));
  if (!got.ok()) {
    if (absl::IsNotFound(got)) return absl::NotFoundError(source + ": no MLmodel");
    return got;
  }
  return mlflow::ReadMlModel(dir.path());
}

}  // namespace

absl::Status CheckSourceServable(const std::string& name, const std::string& source,
                                 const std::string& tracking_uri) {
  if (StartsWith(source, "runs:/")) {
    return CheckMlModel(name, ReadRunMlModel(source, tracking_uri));
  }
  if (source.find(":/") != std::string::npos) return absl::OkStatus();  // s3://, models:/, ...
  return CheckMlModel(name, mlflow::ReadMlModel(source));
}

absl::Status CheckPackageServable(const std::string& name, const std::string& path) {
  package::LayoutSource source;
  RETURN_IF_ERROR(source.Open(path));
  ASSIGN_OR_RETURN(package::PackageContents contents, package::ReadPackage(source.layout(), ""));
  // Packages without an MLflow model (no predictor, builtin, command) register as before: the
  // registry also stores packages that only some other server, or nothing, serves.
  const auto& predictor = contents.config.ferry.predictor;
  if (!predictor || predictor->kind != "pyfunc") return absl::OkStatus();
  ASSIGN_OR_RETURN(loader::PackageBackendInfo backend,
                   loader::PackageBackend(source.layout(), contents));
  if (backend.backend != "none") return absl::OkStatus();
  return absl::FailedPreconditionError("model " + name + " cannot be served: " + backend.reason);
}

}  // namespace ferry::cli
