#pragma once
// A trust policy: which public keys may sign which models. A JSON file, e.g.
//
//   {"keys": {"lnu-ml": {"path": "keys/lnu.pub"},
//             "acme":   {"pem": "-----BEGIN PUBLIC KEY-----\n..."}},
//    "rules": [{"models": ["iris-*", "churn"], "keys": ["lnu-ml"], "require_provenance": true},
//              {"models": "*", "keys": ["acme"]}]}
//
// Key paths are relative to the policy file. Model patterns are fnmatch(3) globs; the first
// rule whose pattern matches a model name applies. A rule requires a signature by one of
// its keys; "require_provenance" (default false) also requires a signed provenance
// attestation. Immutable after loading; safe to share between threads.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "package/trust/keys.h"

namespace ferry::package {

struct TrustedKey {
  std::string name;
  PublicKey key;
};

struct TrustRule {
  std::vector<std::string> models;  // globs
  std::vector<std::string> keys;    // names in TrustPolicy::keys()
  bool require_provenance = false;
};

class TrustPolicy {
 public:
  // Reads and parses a policy file. kNotFound if it does not exist; kInvalidArgument naming
  // the file and the field for anything malformed ("policy.json: rules[0].keys[1]: unknown
  // key 'acme'"), including key files that cannot be read or parsed.
  static absl::StatusOr<TrustPolicy> Load(const std::string& path);
  // Parses policy text; relative key paths resolve against `base_dir`; `what` names the
  // source in error messages.
  static absl::StatusOr<TrustPolicy> Parse(std::string_view text, const std::string& base_dir,
                                           const std::string& what);
  // Parses policy text whose keys must all be inline (`pem`): a policy that arrives in a
  // request (a workspace's) may not make the server read files.
  static absl::StatusOr<TrustPolicy> ParseInline(std::string_view text, const std::string& what);
  // A policy trusting one key for every model, provenance optional (`--key PUB`).
  static TrustPolicy ForKey(PublicKey key, const std::string& name);

  // The first rule matching `model`; kPermissionDenied when no rule covers it.
  absl::StatusOr<const TrustRule*> RuleFor(std::string_view model) const;
  // The policy key with this key id, or nullptr.
  const TrustedKey* FindById(std::string_view key_id) const;
  // True if `rule` lists the key named `name`.
  static bool Allows(const TrustRule& rule, std::string_view name);

  const std::vector<TrustedKey>& keys() const { return keys_; }
  const std::vector<TrustRule>& rules() const { return rules_; }
  const std::string& source() const { return source_; }

 private:
  TrustPolicy() = default;
  // Without `base_dir`, key files are refused (ParseInline).
  static absl::StatusOr<TrustPolicy> ParseWith(std::string_view text, const std::string& what,
                                               std::optional<std::string> base_dir);
  std::vector<TrustedKey> keys_;
  std::vector<TrustRule> rules_;
  std::string source_;
};

}  // namespace ferry::package
