#pragma once
// Accepting a package into a server: an OCI-layout tar (the export format) arrives, is
// imported defensively into a private staging directory, verified (every digest, and under
// the server's trust policy the signature and provenance), and only then are its files
// handed to the artifact store under packages/sha256-<hex>/ — blobs first, index.json last.
// Only the verified manifest, its config and layers and its own .sig/.att are stored; other
// manifests in the archive are dropped. A package whose files are an MLflow model directory
// (MLmodel at the root, as Ferry's families write) also has them stored unpacked under
// packages/sha256-<hex>/mlflow-model/ for MLflow clients. A refused package stores nothing (a store
// failure part-way through can leave blobs without an index.json, which nothing then references).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "package/trust/trust_policy.h"

namespace ferry::package {

// Where a package's MLflow model directory is stored, under its package directory.
inline constexpr std::string_view kMlflowModelDir = "mlflow-model";

struct AcceptedPackage {
  std::string manifest_digest;
  std::string name;
  std::string version;
  std::string source_uri;  // "mlflow-artifacts:/packages/sha256-<hex>"
  std::string signer;      // policy key name, empty without a policy
  bool provenance_verified = false;
  std::vector<std::string> checks;
};

class PackageIntake {
 public:
  // Stores one file of the layout at `rel_path` under the artifact root.
  using StoreFile =
      std::function<absl::Status(const std::string& rel_path, const std::string& local_file)>;

  // `work_dir` holds staging directories (created if missing). With a policy, packages must
  // pass it; without one only their contents are checked.
  PackageIntake(std::string work_dir, std::optional<TrustPolicy> policy, StoreFile store)
      : work_dir_(std::move(work_dir)), policy_(std::move(policy)), store_(std::move(store)) {}

  // Imports, verifies and stores the tar at `tar_path`. Errors from the import (unsafe or
  // malformed archive) and the verification are returned unchanged; they name the entry,
  // blob or key at fault. `override_policy` (a workspace's), when given, is applied instead of
  // the server's policy.
  absl::StatusOr<AcceptedPackage> Accept(const std::string& tar_path,
                                         const TrustPolicy* override_policy = nullptr);

  // A fresh path for an incoming tar inside the work directory.
  absl::StatusOr<std::string> NewUploadPath();

 private:
  std::string work_dir_;
  std::optional<TrustPolicy> policy_;
  StoreFile store_;
};

}  // namespace ferry::package
