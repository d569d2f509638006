#pragma once
// Registration fails at once, with the reason, for a model no backend here can serve, instead
// of later at serve time: an MLflow model without python_function or a native flavor (e.g.
// only onnx), or a package whose predictor cannot be loaded. Other sources pass unchecked
// (the registry accepts any URI, as MLflow's does).

#include <string>

#include "common/status.h"

namespace ferry::cli {

// `source` as given to `ferry models register --source`: a local MLflow model directory, or
// runs:/RUN_ID/PATH whose PATH/MLmodel is read through the tracking server at
// `tracking_uri`. kFailedPrecondition "model NAME cannot be served: REASON"; the reader's
// kInvalidArgument for a malformed MLmodel.
absl::Status CheckSourceServable(const std::string& name, const std::string& source,
                                 const std::string& tracking_uri);

// A package (layout DIR or .tar) for `--package`: when it holds an MLflow model (predictor
// kind "pyfunc"), its backend as `ferry package inspect` reports it must not be "none".
// Other packages pass.
absl::Status CheckPackageServable(const std::string& name, const std::string& path);

}  // namespace ferry::cli
