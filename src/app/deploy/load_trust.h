#pragma once
// What a serving process trusts when it loads models: the trust policy (--trust-policy)
// that a package's signature must verify under before its pickles are loaded, and
// --allow-unsigned-pickle. Owns the policy; options() points into it.

#include <memory>
#include <string>

#include "common/status.h"
#include "loader/mlflow_model.h"
#include "package/trust/trust_policy.h"

namespace ferry::app {

class LoadTrust {
 public:
  LoadTrust() = default;
  // Loads `policy_path` (empty: no policy). kInvalidArgument naming the flag for a policy
  // that cannot be read.
  static absl::StatusOr<LoadTrust> Create(const std::string& policy_path,
                                          bool allow_unsigned_pickle);

  // Valid while this LoadTrust lives.
  loader::LoadOptions options() const { return {policy_.get(), allow_unsigned_pickle_}; }

 private:
  std::shared_ptr<const package::TrustPolicy> policy_;
  bool allow_unsigned_pickle_ = false;
};

}  // namespace ferry::app
