#pragma once
// An OpenID provider's signing keys (RFC 7517 JSON Web Key Set) and the check of a JWS
// signature against one of them (RFC 7518 §3.3 RS256, §3.4 ES256), over OpenSSL 3's EVP.
// Only what OIDC needs: RSA keys of 2048 to 8192 bits from `n`/`e`, and EC keys on P-256 from
// `x`/`y`. Keys for other algorithms, or marked for encryption (`"use": "enc"`), are skipped,
// so one set may hold keys Ferry does not use.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::auth {

// The algorithms a token may be signed with.
enum class JwsAlgorithm { kRs256, kEs256 };

// "RS256" or "ES256"; kUnauthenticated "Unsupported algorithm NAME" for anything else ("none",
// "HS256", "RS384", ...).
absl::StatusOr<JwsAlgorithm> ParseJwsAlgorithm(std::string_view name);

// A public key and the one algorithm it verifies. Immutable, shared by every request.
class JsonWebKey {
 public:
  JsonWebKey(JwsAlgorithm algorithm, std::shared_ptr<void> pkey)
      : algorithm_(algorithm), pkey_(std::move(pkey)) {}

  JwsAlgorithm algorithm() const { return algorithm_; }
  // Whether `signature` (for ES256 the JWS form, R || S in 64 bytes) signs `signing_input`
  // ("BASE64URL(header).BASE64URL(payload)") with this key and `algorithm`. False, never an
  // error, for a signature of the wrong length or algorithm.
  bool Verify(JwsAlgorithm algorithm, std::string_view signing_input,
              std::string_view signature) const;

 private:
  JwsAlgorithm algorithm_;
  std::shared_ptr<void> pkey_;  // EVP_PKEY*, kept opaque so OpenSSL stays out of includers
};

// Keys by `kid` (a key without one is kept under "").
using JsonWebKeySet = std::map<std::string, JsonWebKey, std::less<>>;

inline constexpr size_t kMaxJwksBytes = 256 * 1024;
inline constexpr size_t kMaxJwksKeys = 64;

// Parses a JWKS document ({"keys": [...]}). kInvalidArgument naming the key for a document that
// is not one, for more than kMaxJwksBytes or kMaxJwksKeys, or for an RSA or P-256 key whose
// numbers are malformed (a point off the curve, a modulus under 2048 bits). Two keys with one
// `kid` are refused too: which one signs would be ambiguous.
absl::StatusOr<JsonWebKeySet> ParseJwks(std::string_view json);

}  // namespace ferry::auth
