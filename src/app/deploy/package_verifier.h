#pragma once
// The server's registration gate: a model version whose source is a package stored in the
// artifact store ("mlflow-artifacts:/packages/sha256-<hex>", see cli/package_upload.h) is
// verified there — digests, and under a trust policy the signature and provenance — before
// it becomes READY. With `require_signed`, any other source fails registration. A package that
// passes under a policy is tagged ferry.verified.signer (the policy's key name) and
// ferry.verified.provenance ("verified" or "absent").
//
// The policy is the version's workspace's own (GET/PUT /api/ferry/v1/trust-policy) when it has
// one, else the server's --trust-policy. A version that no policy and no `require_signed`
// concerns is READY at once, as in MLflow.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "package/trust/trust_policy.h"
#include "registry/version_verifier.h"
#include "store/artifact_index.h"
#include "store/artifact_store.h"
#include "store/workspace_store.h"

namespace ferry::app {

class PackageVersionVerifier : public registry::VersionVerifier {
 public:
  PackageVersionVerifier(store::ArtifactIndex& index, store::ArtifactStore& blobs,
                         store::WorkspaceStore& workspaces,
                         std::optional<package::TrustPolicy> policy, bool require_signed)
      : index_(index),
        blobs_(blobs),
        workspaces_(workspaces),
        policy_(std::move(policy)),
        require_signed_(require_signed) {}

  absl::Status Verify(const ModelVersion& version, std::vector<ModelVersionTag>* found) override;
  bool Needed(const ModelVersion& version) override;

 private:
  store::ArtifactIndex& index_;
  store::ArtifactStore& blobs_;
  store::WorkspaceStore& workspaces_;
  std::optional<package::TrustPolicy> policy_;
  bool require_signed_;
};

}  // namespace ferry::app
