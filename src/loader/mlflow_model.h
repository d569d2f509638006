#pragma once
// MLflow model directories on the way in and out of packages: what a build records about
// one (DescribeMlflowModel), which backend a package gets and why (PackageBackend, for
// `ferry package inspect` and registration), and loading one with its backend
// (LoadMlflowDir), including the pickle rule: a Python-backend model loads only from a
// package whose signature verified under the trust policy, or with --allow-unsigned-pickle.

#include <functional>
#include <string>

#include "common/status.h"
#include "package/build/contents.h"
#include "package/build/package_config.h"
#include "package/layout/oci_layout.h"
#include "package/trust/trust_policy.h"
#include "runtime/predictor.h"

namespace ferry::loader {

// How far the caller trusts the files of the model it loads.
struct LoadOptions {
  // The server's trust policy: a package whose signature verifies under it may load pickles.
  // Null: no package is trusted that way.
  const package::TrustPolicy* trust_policy = nullptr;
  // --allow-unsigned-pickle: load pickles from bare directories and unsigned packages too.
  bool allow_unsigned_pickle = false;
};

// For `ferry package build` (BuildOptions::describe): when `model_dir` holds an MLmodel,
// records the predictor (kind "pyfunc", family "mlflow", the served flavor, entry
// "MLmodel", backend and reason), the signature as ferry.schema and the run id (when not
// set). kFailedPrecondition naming the flavors when no backend can serve it; the reader's
// kInvalidArgument for a malformed MLmodel. A directory without MLmodel, or whose
// ferry-package.json already named a builtin or command predictor, is left alone.
absl::Status DescribeMlflowModel(const std::string& model_dir, package::PackageConfig& c);

struct PackageBackendInfo {
  std::string backend;  // a family ("linear", ...), "xgboost", "python", "command" or "none"
  std::string reason;
};

// Which backend serves the package in `layout` with `contents`, and why: a Ferry family for
// builtin predictors; for MLflow models the MLmodel layer is read and the choice made again
// (runtime/mlflow/backend.h), so packages built before the choice was recorded answer too.
absl::StatusOr<PackageBackendInfo> PackageBackend(package::LayoutReader& layout,
                                                  const package::PackageContents& contents);

// Checks the signature of the package `dir` was unpacked from under the trust policy; null
// for a bare directory.
using SignatureCheck = std::function<absl::Status(const package::TrustPolicy& policy)>;

struct LoadedMlflow {
  runtime::PredictorPtr predictor;
  std::string backend;  // "xgboost" or "python"
  std::string reason;   // ChooseBackend's sentence: why this backend
};

// Loads the MLflow model in `dir` named `name` with the backend ChooseBackend picks. A
// Python-backend model runs the model's pickles or code, so it loads only when
// options.allow_unsigned_pickle is set or `signature` verifies under options.trust_policy
// (checked only then). kFailedPrecondition when no backend serves the model, when that trust
// is missing (the message says to sign it or pass --allow-unsigned-pickle, with the
// verification error if one failed), or when the Python backend is not set. For the Python
// backend `dir` must outlive the predictor (LoadPackage keeps it).
absl::StatusOr<LoadedMlflow> LoadMlflowDir(const std::string& dir, const std::string& name,
                                           const LoadOptions& options,
                                           const SignatureCheck& signature);

}  // namespace ferry::loader
