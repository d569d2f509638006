#include "package/trust/trust_policy.h"

#include <fnmatch.h>

#include <optional>

#include "common/fs.h"
#include "common/json.h"

namespace ferry::package {
namespace {

// Errors name the policy source and the JSON path of the offending field.
class PolicyParser {
 public:
  // Without `base_dir`, keys must be inline: a policy from a request may not name files.
  PolicyParser(std::string what, std::optional<std::string> base_dir)
      : what_(std::move(what)), base_dir_(std::move(base_dir)) {}

  absl::Status Error(const std::string& field, const std::string& msg) const {
    return absl::InvalidArgumentError(what_ + ": " + field + ": " + msg);
  }

  absl::Status ParseKeys(const JsonValue& keys, std::vector<TrustedKey>* out) const {
    if (!keys.is_object())
      return Error("keys", std::string("want an object, got ") + keys.TypeName());
    for (const auto& [name, spec] : keys.members()) {
      std::string field = "keys." + name;
      if (name.empty()) return Error("keys", "empty key name");
      ASSIGN_OR_RETURN(PublicKey key, ParseKey(spec, field));
      out->push_back(TrustedKey{name, std::move(key)});
    }
    return absl::OkStatus();
  }

  absl::StatusOr<PublicKey> ParseKey(const JsonValue& spec, const std::string& field) const {
    if (!spec.is_object()) return Error(field, "want {\"path\": ...} or {\"pem\": ...}");
    const JsonValue* path = spec.Find("path");
    const JsonValue* pem = spec.Find("pem");
    if ((path == nullptr) == (pem == nullptr)) {
      return Error(field, "exactly one of \"path\" and \"pem\" is required");
    }
    if (pem != nullptr) {
      if (!pem->is_string()) return Error(field + ".pem", "want a string");
      auto key = PublicKey::FromPem(pem->as_string(), "inline key");
      if (!key.ok()) return Error(field + ".pem", std::string(key.status().message()));
      return key;
    }
    if (!base_dir_) {
      return Error(field + ".path",
                   "key files are not allowed here: give the key inline as \"pem\"");
    }
    if (!path->is_string() || path->as_string().empty()) {
      return Error(field + ".path", "want a non-empty string");
    }
    std::string p = path->as_string();
    if (p[0] != '/') p = JoinPath(*base_dir_, p);
    auto key = PublicKey::Load(p);
    if (!key.ok()) return Error(field + ".path", std::string(key.status().message()));
    return key;
  }

  absl::StatusOr<std::vector<std::string>> StringList(const JsonValue& v,
                                                      const std::string& field) const {
    std::vector<std::string> out;
    if (v.is_string()) {
      out.push_back(v.as_string());
      return out;
    }
    if (!v.is_array()) return Error(field, "want a string or an array of strings");
    for (size_t i = 0; i < v.items().size(); ++i) {
      const JsonValue& item = v.items()[i];
      if (!item.is_string()) {
        return Error(field + "[" + std::to_string(i) + "]", "want a string");
      }
      out.push_back(item.as_string());
    }
    if (out.empty()) return Error(field, "must not be empty");
    return out;
  }

  absl::StatusOr<TrustRule> ParseRule(const JsonValue& v, const std::string& field,
                                      const std::vector<TrustedKey>& keys) const {
    if (!v.is_object()) return Error(field, "want an object");
    for (const auto& [name, value] : v.members()) {
      if (name != "models" && name != "keys" && name != "require_provenance") {
        return Error(field + "." + name, "unknown field");
      }
    }
    const JsonValue* models = v.Find("models");
    const JsonValue* rule_keys = v.Find("keys");
    if (models == nullptr) return Error(field + ".models", "missing");
    if (rule_keys == nullptr) return Error(field + ".keys", "missing");
    TrustRule rule;
    ASSIGN_OR_RETURN(rule.models, StringList(*models, field + ".models"));
    ASSIGN_OR_RETURN(rule.keys, StringList(*rule_keys, field + ".keys"));
    for (size_t i = 0; i < rule.keys.size(); ++i) {
      bool known = false;
      for (const TrustedKey& k : keys) known = known || k.name == rule.keys[i];
      if (!known) {
        return Error(field + ".keys[" + std::to_string(i) + "]",
                     "unknown key '" + rule.keys[i] + "' (not in \"keys\")");
      }
    }
    if (const JsonValue* rp = v.Find("require_provenance")) {
      if (!rp->is_bool()) return Error(field + ".require_provenance", "want true or false");
      rule.require_provenance = rp->as_bool();
    }
    return rule;
  }

 private:
  std::string what_;
  std::optional<std::string> base_dir_;
};

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

absl::StatusOr<TrustPolicy> TrustPolicy::Load(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) {
    if (absl::IsNotFound(text.status())) {
      return absl::NotFoundError("trust policy " + path + " does not exist");
    }
    return text.status();
  }
  return Parse(*text, DirName(path), path);
}

absl::StatusOr<TrustPolicy> TrustPolicy::Parse(std::string_view text, const std::string& base_dir,
                                               const std::string& what) {
  return ParseWith(text, what, base_dir);
}

absl::StatusOr<TrustPolicy> TrustPolicy::ParseInline(std::string_view text,
                                                     const std::string& what) {
  return ParseWith(text, what, std::nullopt);
}

absl::StatusOr<TrustPolicy> TrustPolicy::ParseWith(std::string_view text, const std::string& what,
                                                   std::optional<std::string> base_dir) {
  PolicyParser parser(what, std::move(base_dir));
  auto doc = ParseJson(text);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(what +
                                      ": not valid JSON: " + std::string(doc.status().message()));
  }
  if (!doc->is_object()) return parser.Error("(top level)", "want an object");
  for (const auto& [name, value] : doc->members()) {
    if (name != "keys" && name != "rules" && name != "version") {
      return parser.Error(name, "unknown field");
    }
  }
  TrustPolicy policy;
  policy.source_ = what;
  const JsonValue* keys = doc->Find("keys");
  const JsonValue* rules = doc->Find("rules");
  if (keys == nullptr) return parser.Error("keys", "missing");
  if (rules == nullptr) return parser.Error("rules", "missing");
  RETURN_IF_ERROR(parser.ParseKeys(*keys, &policy.keys_));
  if (!rules->is_array()) return parser.Error("rules", "want an array");
  for (size_t i = 0; i < rules->items().size(); ++i) {
    ASSIGN_OR_RETURN(
        TrustRule rule,
        parser.ParseRule(rules->items()[i], "rules[" + std::to_string(i) + "]", policy.keys_));
    policy.rules_.push_back(std::move(rule));
  }
  return policy;
}

TrustPolicy TrustPolicy::ForKey(PublicKey key, const std::string& name) {
  TrustPolicy policy;
  policy.source_ = "--key " + name;
  policy.keys_.push_back(TrustedKey{name, std::move(key)});
  policy.rules_.push_back(TrustRule{{"*"}, {name}, false});
  return policy;
}

absl::StatusOr<const TrustRule*> TrustPolicy::RuleFor(std::string_view model) const {
  std::string name(model);
  for (const TrustRule& rule : rules_) {
    for (const std::string& glob : rule.models) {
      if (fnmatch(glob.c_str(), name.c_str(), 0) == 0) return &rule;
    }
  }
  return absl::PermissionDeniedError("no rule in trust policy " + source_ + " covers model '" +
                                     name + "'");
}

const TrustedKey* TrustPolicy::FindById(std::string_view key_id) const {
  for (const TrustedKey& k : keys_) {
    if (k.key.KeyId() == key_id) return &k;
  }
  return nullptr;
}

bool TrustPolicy::Allows(const TrustRule& rule, std::string_view name) {
  for (const std::string& k : rule.keys) {
    if (k == name) return true;
  }
  return false;
}

}  // namespace ferry::package
