#pragma once
// JSON Web Tokens as OpenID providers issue them (RFC 7519): a compact JWS (RFC 7515 §7.1,
// three base64url parts) whose header names RS256 or ES256, and the registered claims an
// access token is checked on (iss, aud, exp, nbf, iat). The signature is checked by a
// JsonWebKey (auth/jwks.h); OidcVerifier (auth/oidc_verifier.h) puts the two together.
//
// Every error is kUnauthenticated with a reason a 401 may carry.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/jwks.h"
#include "common/json.h"
#include "common/status.h"

namespace ferry::auth {

inline constexpr size_t kMaxJwtBytes = 16 * 1024;

// A compact JWS, split and decoded; not yet verified.
struct Jwt {
  JwsAlgorithm algorithm = JwsAlgorithm::kRs256;
  bool has_kid = false;
  std::string kid;
  std::string signing_input;  // the first two parts with their dot, as signed
  std::string signature;      // decoded
  JsonValue claims;           // an object
};

// Whether a bearer value has a JWT's shape (three dot-separated parts), as opposed to one of
// Ferry's own tokens ("ferry_..."). Says nothing about validity.
bool LooksLikeJwt(std::string_view token);

// Splits and decodes `token`, strictly: three parts of canonical base64url without padding,
// a header and a claims set that are JSON objects, at most kMaxJwtBytes. Errors: "Malformed
// token: ...", "Unsupported algorithm NAME" for any `alg` but RS256 and ES256 (so "none" and
// the HMAC ones too), and a `crit` header (no extension is understood).
absl::StatusOr<Jwt> ParseJwt(std::string_view token);

struct JwtExpectations {
  std::string issuer;         // `iss` must equal it
  std::string audience;       // `aud` (a string, or an array of strings) must contain it
  int64_t leeway_ms = 60000;  // for clocks that disagree a little, on exp, nbf and iat
};

// Checks the registered claims at `now_ms`, and returns when the token expires (`exp` in
// milliseconds). Errors: "Wrong issuer", "Wrong audience", "Token has no expiry", "Token
// expired", "Token not yet valid" (nbf, or iat in the future), "Malformed token: ..." for a
// time that is not a number of seconds.
absl::StatusOr<int64_t> CheckClaims(const JsonValue& claims, const JwtExpectations& expect,
                                    int64_t now_ms);

}  // namespace ferry::auth
