#pragma once
// The loader: between packages and the runtime, above both (neither includes the other).
// The schema as stored in a package config, and loading a package (layout directory or
// .tar) into a Predictor of the family its config names. Used by app and cli.

#include <string>

#include "common/status.h"
#include "core/model_schema.h"
#include "loader/mlflow_model.h"
#include "package/build/contents.h"
#include "package/build/package_config.h"
#include "runtime/family.h"

namespace ferry::loader {

// ferry.schema of a package -> ModelSchema. kInvalidArgument naming the tensor for a type the
// runtime cannot represent (e.g. "datetime").
absl::StatusOr<ModelSchema> SchemaFromPackage(const package::FerryFields& fields);
// ModelSchema -> ferry.schema (inputs and outputs replaced).
void SchemaToPackage(const ModelSchema& schema, package::FerryFields& fields);

struct LoadedPackage {
  runtime::PredictorPtr predictor;
  package::PackageContents contents;  // manifest digest, config
  std::string family;
  std::string backend_reason;  // MLflow models: why this backend (ChooseBackend's sentence)
};

// Verifies the package at `path` (tag or digest `ref`, empty: the only package), unpacks it
// into a private temporary directory, and loads it: with the family named by its builtin
// predictor entry, or, for an MLflow model directory (kind "pyfunc"), with the backend
// LoadMlflowDir picks (family "mlflow-xgboost" or "mlflow-python"). The directory is removed
// once loaded (families read their files at Load), except for the Python backend, whose
// predictor keeps it until it is destroyed. kFailedPrecondition when the package has no
// predictor Ferry can load or names an unknown family; the verification, family and
// LoadMlflowDir errors otherwise.
absl::StatusOr<LoadedPackage> LoadPackage(const runtime::FamilyRegistry& families,
                                          const std::string& path, const std::string& ref,
                                          const LoadOptions& options = {});

// True for a bare MLflow model directory: MLmodel and no OCI index.json.
bool IsBareMlflowDir(const std::string& path);
// The name a bare MLflow model directory is served under: its last path component.
std::string BareMlflowName(const std::string& path);

// LoadPackage, or for a bare MLflow model directory (one holding MLmodel and no index.json)
// LoadMlflowDir, named after the directory. What `ferry serve`, `ferry predict` and
// deployments load.
absl::StatusOr<LoadedPackage> LoadModelSource(const runtime::FamilyRegistry& families,
                                              const std::string& path, const LoadOptions& options);

}  // namespace ferry::loader
