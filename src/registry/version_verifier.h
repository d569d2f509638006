#pragma once
// Checks a newly registered model version before it becomes READY (e.g. hashes its package and
// verifies the signature). Implemented outside registry/ and given to RegistryService by app/.

#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/registry_types.h"

namespace ferry::registry {

class VersionVerifier {
 public:
  virtual ~VersionVerifier() = default;
  // OK: the version becomes READY, with `found` (tags under kVerifiedTagPrefix, e.g. who
  // signed its package) set on it first. An error: FAILED_REGISTRATION with the error's message
  // as status_message. May be slow; called on the registry's background worker, one at a time.
  virtual absl::Status Verify(const ModelVersion& version, std::vector<ModelVersionTag>* found) = 0;
  // Whether `version` (its name, workspace and source set, not yet stored) waits in
  // PENDING_REGISTRATION for Verify(); false makes it READY at once, as in MLflow.
  virtual bool Needed(const ModelVersion& version) { return true; }
};

// Tags only the verifier writes ("ferry.verified.signer", ...): clients cannot set or delete
// them, so a reader can take them as the server's word.
inline constexpr std::string_view kVerifiedTagPrefix = "ferry.verified.";

}  // namespace ferry::registry
