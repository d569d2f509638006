#pragma once
// What a model directory says about itself, read before a build: the optional
// ferry-package.json (a partial package config, see docs/PACKAGES.md), an MLflow MLmodel
// file (predictor flavor and run id), and pinned requirements.txt lines (dependencies).

#include <string>
#include <vector>

#include "common/status.h"
#include "package/build/package_config.h"

namespace ferry::package {

inline constexpr char kPackageMetadataFile[] = "ferry-package.json";

// Merges what `model_dir` says about itself into `c`: ferry-package.json first (replacing
// what it names), then MLmodel and requirements.txt fill what is still unset. Unpinned
// requirement lines are reported in `warnings`.
absl::Status ReadModelMetadata(const std::string& model_dir, PackageConfig& c,
                               std::vector<std::string>* warnings);

}  // namespace ferry::package
