#include "app/deploy/load_trust.h"

namespace ferry::app {

absl::StatusOr<LoadTrust> LoadTrust::Create(const std::string& policy_path,
                                            bool allow_unsigned_pickle) {
  LoadTrust t;
  t.allow_unsigned_pickle_ = allow_unsigned_pickle;
  if (policy_path.empty()) return t;
  auto policy = package::TrustPolicy::Load(policy_path);
  if (!policy.ok()) {
    return absl::InvalidArgumentError("cannot use --trust-policy: " +
                                      std::string(policy.status().message()));
  }
  t.policy_ = std::make_shared<const package::TrustPolicy>(std::move(*policy));
  return t;
}

}  // namespace ferry::app
