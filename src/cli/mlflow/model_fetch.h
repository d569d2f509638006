#pragma once
// Finding the package behind a model reference for `ferry serve` / `ferry predict`:
//   models:/NAME@ALIAS, models:/NAME/VERSION,
//   models:/NAME/STAGE, models:/NAME/latest    -> asks the registry, downloads the package
//                                                 layout from the artifact proxy (cached), or
//                                                 for a version whose source is a run's
//                                                 artifacts, that MLflow model directory
//   runs:/RUN_ID/PATH                          -> the run's MLflow model directory (cached)
//   anything else                              -> a local package (layout directory or .tar)
//                                                 or MLflow model directory

#include <string>

#include "common/status.h"

namespace ferry::cli {

struct ModelRef {
  std::string name;     // registered model name (empty for a local path)
  std::string alias;    // set for models:/NAME@ALIAS
  std::string version;  // set for models:/NAME/VERSION
  std::string stage;    // set for models:/NAME/STAGE (Production, Staging, ...)
  bool latest = false;  // models:/NAME/latest: the highest version
  std::string path;     // set for a local package
  std::string runs;     // set for runs:/RUN_ID/PATH
};

// As MLflow: after models:/NAME/, digits are a version, "latest" (any case) the highest
// version, anything else a stage. kInvalidArgument for "models:/" references without a
// name, alias or version.
absl::StatusOr<ModelRef> ParseModelRef(const std::string& uri);

// True for references that can move to another version (alias, stage, latest).
bool RefMoves(const ModelRef& ref);

struct FetchedModel {
  std::string name;          // registered name; empty for a local package
  std::string version;       // registry version; empty for a local package
  std::string package_path;  // layout directory or tar to load
};

// Resolves `ref` and makes its package available locally. Registry packages (sources
// "mlflow-artifacts:/packages/sha256-<hex>", as stored by the package intake) are
// downloaded into `cache_dir`/sha256-<hex> once: index.json, every manifest it lists and
// their blobs; a complete earlier download is reused. A run's model directory (runs:/, or a
// version whose source is runs:/RUN/PATH or the run's artifact location) is downloaded into
// `cache_dir`/runs/RUN_ID/PATH once, and must hold an MLmodel file. kFailedPrecondition when
// the version is not READY or its source is neither.
absl::StatusOr<FetchedModel> FetchModel(const ModelRef& ref, const std::string& tracking_uri,
                                        const std::string& cache_dir);

}  // namespace ferry::cli
