#pragma once
// Checks a newly registered model version before it becomes READY (e.g. hashes its package and
// verifies the signature). Implemented outside registry/ and given to RegistryService by app/.

#include "common/status.h"
#include "core/registry_types.h"

namespace ferry::registry {

class VersionVerifier {
 public:
  virtual ~VersionVerifier() = default;
  // OK: the version becomes READY. An error: FAILED_REGISTRATION with the error's message as
  // status_message. May be slow; called on the registry's background worker, one at a time.
  virtual absl::Status Verify(const ModelVersion& version) = 0;
};

}  // namespace ferry::registry
