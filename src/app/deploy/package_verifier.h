#pragma once
// The server's registration gate: a model version whose source is a package stored in the
// artifact store ("mlflow-artifacts:/packages/sha256-<hex>", see cli/package_upload.h) is
// verified there — digests, and under a trust policy the signature and provenance — before
// it becomes READY. With `require_signed`, any other source fails registration. A package that
// passes under a policy is tagged ferry.verified.signer (the policy's key name) and
// ferry.verified.provenance ("verified" or "absent").

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "package/trust/trust_policy.h"
#include "registry/version_verifier.h"
#include "store/artifact_index.h"
#include "store/artifact_store.h"

namespace ferry::app {

class PackageVersionVerifier : public registry::VersionVerifier {
 public:
  PackageVersionVerifier(store::ArtifactIndex& index, store::ArtifactStore& blobs,
                         std::optional<package::TrustPolicy> policy, bool require_signed)
      : index_(index), blobs_(blobs), policy_(std::move(policy)), require_signed_(require_signed) {}

  absl::Status Verify(const ModelVersion& version, std::vector<ModelVersionTag>* found) override;

 private:
  store::ArtifactIndex& index_;
  store::ArtifactStore& blobs_;
  std::optional<package::TrustPolicy> policy_;
  bool require_signed_;
};

}  // namespace ferry::app
