#pragma once
// Test-only: keys made with OpenSSL in the test (RSA 2048, P-256), their public JWKs, and JWTs
// signed with them, for the tests of jwks, jwt, OidcVerifier and AuthService's OIDC tokens.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::auth::testing {

class TestKey {
 public:
  static TestKey Rsa();   // 2048 bits, RS256
  static TestKey P256();  // ES256

  // The public key as a JWK object (text), with this `kid` ("" leaves it out).
  std::string Jwk(std::string_view kid) const;
  // The JWS signature of `signing_input` (for ES256 the raw R || S form).
  std::string Sign(std::string_view signing_input) const;
  const char* alg() const { return rsa_ ? "RS256" : "ES256"; }

 private:
  TestKey(std::shared_ptr<void> pkey, bool rsa) : pkey_(std::move(pkey)), rsa_(rsa) {}
  std::shared_ptr<void> pkey_;  // EVP_PKEY*
  bool rsa_;
};

// {"keys": [JWKS...]}
std::string Jwks(const std::vector<std::string>& jwks);

// base64url(header).base64url(claims).base64url(key's signature), both given as JSON text.
std::string SignJwt(const TestKey& key, std::string_view header_json, std::string_view claims_json);

// A header {"alg": key's, "kid": kid} signed with claims {"iss", "aud", "exp", ...extra}:
// `extra` is more members, e.g. R"("groups":["admins"])", or "".
std::string MakeJwt(const TestKey& key, std::string_view kid, std::string_view iss,
                    std::string_view aud, int64_t exp_s, std::string_view extra = "");

}  // namespace ferry::auth::testing
