#include "app/deploy/package_verifier.h"

#include "common/strings.h"
#include "http/handlers/mlflow/trust_policy_handlers.h"
#include "package/intake/artifact_layout_reader.h"
#include "package/trust/verify.h"

namespace ferry::app {
namespace {

constexpr std::string_view kSourcePrefix = "mlflow-artifacts:/packages/sha256-";

}  // namespace

bool PackageVersionVerifier::Needed(const ModelVersion& version) {
  if (require_signed_ || policy_) return true;
  // A failed read errs on the side of checking: Verify() then reports it.
  return !absl::IsNotFound(workspaces_.GetTrustPolicy(version.workspace).status());
}

absl::Status PackageVersionVerifier::Verify(const ModelVersion& version,
                                            std::vector<ModelVersionTag>* found) {
  const std::string& source = version.source;
  if (!StartsWith(source, kSourcePrefix)) {
    if (!require_signed_) return absl::OkStatus();
    return absl::FailedPreconditionError(
        "source '" + source +
        "' is not a Ferry package, and this server only registers signed packages "
        "(--require-signed-packages); register one with `ferry models register NAME --package "
        "DIR`");
  }
  std::string digest = "sha256:" + source.substr(kSourcePrefix.size());
  RETURN_IF_ERROR(package::ValidateDigest(digest, "package digest in the source URI"));
  std::string dir = source.substr(std::string_view("mlflow-artifacts:/").size());
  ASSIGN_OR_RETURN(std::shared_ptr<const package::TrustPolicy> own,
                   http::WorkspaceTrustPolicy(workspaces_, version.workspace));
  const package::TrustPolicy* policy = own ? own.get() : (policy_ ? &*policy_ : nullptr);
  package::ArtifactLayoutReader reader(index_, blobs_, dir);
  ASSIGN_OR_RETURN(package::VerifyReport report, package::VerifyPackage(reader, "", policy));
  if (report.manifest_digest != digest) {
    return absl::DataLossError("the package stored at '" + dir + "' has manifest " +
                               report.manifest_digest + ", not the digest its path names");
  }
  if (report.model_name != version.name && policy != nullptr) {
    // The policy rules matched the package's own name; the registered name must be the same,
    // or a key trusted for one model could publish under another's name.
    return absl::PermissionDeniedError("the package is model '" + report.model_name + "', not '" +
                                       version.name + "'");
  }
  if (report.signer_checked) {
    std::string prefix(registry::kVerifiedTagPrefix);
    found->push_back({prefix + "signer", report.signer});
    found->push_back({prefix + "provenance", report.provenance_verified ? "verified" : "absent"});
  }
  return absl::OkStatus();
}

}  // namespace ferry::app
