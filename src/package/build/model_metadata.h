#pragma once
// What a model directory says about itself, read before a build: the optional
// ferry-package.json (a partial package config, see docs/PACKAGES.md) and pinned
// requirements.txt lines (dependencies). An MLflow MLmodel file is read above package, by
// loader/mlflow_model.h, through BuildOptions::describe.

#include <string>
#include <vector>

#include "common/status.h"
#include "package/build/package_config.h"

namespace ferry::package {

inline constexpr char kPackageMetadataFile[] = "ferry-package.json";

// Merges what `model_dir` says about itself into `c`: ferry-package.json first (replacing
// what it names), then requirements.txt fills what is still unset. Unpinned
// requirement lines are reported in `warnings`.
absl::Status ReadModelMetadata(const std::string& model_dir, PackageConfig& c,
                               std::vector<std::string>* warnings);

}  // namespace ferry::package
