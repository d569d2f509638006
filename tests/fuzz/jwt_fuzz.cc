// libFuzzer target for OIDC bearer tokens (auth/jwt.h, auth/jwks.h, auth/oidc_verifier.h): the
// Authorization header's JWT and the provider's JWKS are outside input. Each input is read as
// a token (parsed, then verified against a fixed key set whose private halves signed the seed
// corpus) and as a JWKS document. Properties checked:
//   * ParseJwt and OidcVerifier::Verify fail only with kUnauthenticated; a parsed token's parts
//     re-encode to the input (one spelling per value), and its claims are an object;
//   * a verified token names a user and is valid until after the fixed "now";
//   * ParseJwks fails only with kInvalidArgument, and keeps at most kMaxJwksKeys keys.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/jwks.h"
#include "auth/jwt.h"
#include "auth/oidc_verifier.h"
#include "auth/secrets.h"
#include "common/clock.h"
#include "fuzz_check.h"

namespace {

// The public keys the seed tokens (tests/fuzz/corpus/jwt) were signed with: RS256 "rsa1" and
// ES256 "ec1", as tests/e2e/oidc/mint.py writes them.
constexpr const char* kJwks =
    R"({"keys": [{"kty": "RSA", "kid": "rsa1", "use": "sig", "alg": "RS256", "n": "3JBdZTVaIjxU)"
    R"(YXEL0QZHY3WKewrvLisQtISzU9Eee66G8S4rE9QEpG0xzd6BG0X3DNf52Dx15cVBYg6yVHIgiFlsnGG0MStOyMDn)"
    R"(_fHTagx9v92s1iz_nFT9WVbAypr3ltnSd48-O272lTxvtgZ4JA-h3krj0Z6lPknJawFrHKkBIUaQF2-Nqw9zs2a2)"
    R"(K-umW5pTxRpvhBJyf77AoB-rnHmD52jJRLXDQ_umCEWfYD6TG6tm_2XVuokwaFOnMZ9fhe4cYfGM5wAEy6cnMbRi)"
    R"(_eibA8Pkoqer9wExaE-aUT8DYK8OQpBm9WUU_isGuXDhzDvobAhwRtcsI3FEGtMRFQ", "e": "AQAB"}, {"kty)"
    R"(": "EC", "kid": "ec1", "use": "sig", "crv": "P-256", "x": "6tEMksGvcTCWfCWVxBAv4HCKRoplQ)"
    R"(geJpHNUheTHgmE", "y": "5vPJYxt30rnU_NvbGV7jWa7JmXQUAjMqHir2fKOseNo"}]})";

constexpr int64_t kNowMs = 1800000000000;  // 2027-01-15: after the seeds' iat, before exp

class FixedClock : public ferry::Clock {
 public:
  int64_t NowMillis() override { return kNowMs; }
  int64_t MonotonicNanos() override { return 0; }
};

ferry::auth::OidcVerifier& Verifier() {
  static FixedClock clock;
  static ferry::auth::OidcVerifier verifier(
      [] {
        ferry::auth::OidcVerifier::Options options;
        options.expect = {"https://idp.example", "ferry", 60000};
        options.admin_group = "ferry-admins";
        return options;
      }(),
      [] { return absl::StatusOr<std::string>(kJwks); }, &clock);
  return verifier;
}

void CheckToken(std::string_view text) {
  absl::StatusOr<ferry::auth::Jwt> jwt = ferry::auth::ParseJwt(text);
  if (!jwt.ok()) {
    Check(absl::IsUnauthenticated(jwt.status()));
  } else {
    Check(jwt->claims.is_object());
    Check(jwt->signing_input + "." + ferry::auth::Base64UrlNoPad(jwt->signature) == text);
  }
  absl::StatusOr<ferry::auth::OidcIdentity> identity = Verifier().Verify(text);
  if (!identity.ok()) {
    Check(absl::IsUnauthenticated(identity.status()));
    return;
  }
  Check(jwt.ok());
  Check(!identity->username.empty());
  Check(identity->valid_until_ms > kNowMs);
}

void CheckJwks(std::string_view text) {
  absl::StatusOr<ferry::auth::JsonWebKeySet> keys = ferry::auth::ParseJwks(text);
  if (!keys.ok()) {
    Check(absl::IsInvalidArgument(keys.status()));
    return;
  }
  Check(keys->size() <= ferry::auth::kMaxJwksKeys);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 20000) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckToken(text);
  CheckJwks(text);
  return 0;
}
