#pragma once
// Builds a model package from a local directory into an OCI image layout: one raw layer
// per file (lexicographic order of relative paths), the package config blob, and the
// ModelPack manifest, tagged in index.json with the version. The package's identity is the
// manifest digest; the same files, options and creation time give the same digest.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/status.h"
#include "package/build/package_config.h"
#include "package/layout/oci.h"

namespace ferry::package {

// The layer that carries the reference data profile.
inline constexpr char kReferenceProfilePath[] = ".ferry/reference-profile.bin";
inline constexpr char kReferenceProfileMediaType[] = "application/vnd.ferry.monitoring.profile.v1";

struct BuildOptions {
  std::string model_dir;   // files to package
  std::string out_dir;     // the OCI layout (created if needed; other tags are kept)
  std::string name;        // descriptor.name; required unless ferry-package.json has one
  std::string version;     // the tag; default: ferry-package.json's, else "latest"
  std::string created_at;  // RFC 3339; default: now (UTC)
  // Lineage from a tracking run; empty fields leave what the directory says.
  std::string source_run_id;
  std::string code_commit;
  std::map<std::string, double> metrics;
  std::map<std::string, std::string> params;
  std::vector<Dependency> dependencies;
  // An encoded monitoring profile of the reference data (monitoring/profile/profile_codec.h);
  // empty: none. Stored as the last layer (kReferenceProfilePath, kReferenceProfileMediaType)
  // and named by digest in ferry.referenceProfile.
  std::string reference_profile;
  // Called for every chunk of every file, in bytes, labelled with the relative path.
  ProgressFn progress;
  // Reads what package cannot interpret itself (an MLflow MLmodel: loader/mlflow_model.h)
  // into the config, after ferry-package.json, requirements.txt and the options above; an
  // error fails the build before anything is written. May be empty.
  std::function<absl::Status(const std::string& model_dir, PackageConfig& c)> describe;
};

struct BuildResult {
  Descriptor manifest;  // digest = the package identity
  Manifest manifest_value;
  PackageConfig config;
  std::string tag;
  std::vector<std::string> warnings;
};

// kInvalidArgument for an empty directory, a symlink leaving it, a special file, a bad
// name/version or metadata; kPermissionDenied for an unreadable file (naming it).
absl::StatusOr<BuildResult> Build(const BuildOptions& options);

// OK if `tag` is a valid OCI tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}).
absl::Status ValidateTag(const std::string& tag);

}  // namespace ferry::package
