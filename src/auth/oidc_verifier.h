#pragma once
// Bearer JWTs from an OpenID provider (`ferry server --auth --oidc-issuer ...`): the token's
// signature against the provider's JWKS, its claims against the configured issuer and
// audience, and the identity it names (a username claim, and whether its groups claim holds
// the admin group).
//
// The key set comes from a JwksFetcher (app/ implements it over HTTP: auth/ does not reach the
// network). It is fetched on first use, again once it is older than Options::refresh_ms, and
// once more when a token names a `kid` the set lacks (the provider rotated its keys), but never
// more often than every Options::min_refetch_ms: tokens with made-up key ids cannot make the
// server hammer the provider. A fetch that fails keeps the keys already known. Fetches happen
// one at a time; during a routine refresh other requests go on with the keys already known.
//
// Verified tokens are remembered by SHA-256 until they expire (bounded), so a request with a
// known token costs no signature check. Thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwks.h"
#include "auth/jwt.h"
#include "common/status.h"

namespace ferry {
class Clock;
}  // namespace ferry
namespace ferry::store {
class AuthStore;
struct UserRecord;
}  // namespace ferry::store

namespace ferry::auth {

// The provider's JWKS document, fetched now. Called with no lock held but never twice at once.
using JwksFetcher = std::function<absl::StatusOr<std::string>()>;

// Who a verified token names.
struct OidcIdentity {
  std::string username;
  bool in_admin_group = false;
  std::vector<std::string> groups;  // the groups claim, as given
  int64_t valid_until_ms = 0;       // the token's `exp` plus the leeway, in milliseconds
  std::string nonce;                // an id_token's `nonce` (browser sign-in), else empty
};

class OidcVerifier {
 public:
  struct Options {
    JwtExpectations expect;                             // issuer, audience, leeway
    std::string username_claim = "preferred_username";  // falls back to `sub`
    std::string groups_claim = "groups";                // an array of strings, or one string
    std::string admin_group;                            // empty: no group makes an admin
    int64_t refresh_ms = 10 * 60 * 1000;
    int64_t min_refetch_ms = 30 * 1000;
  };

  // `clock` outlives the verifier.
  OidcVerifier(Options options, JwksFetcher fetcher, Clock* clock);
  ~OidcVerifier();
  OidcVerifier(const OidcVerifier&) = delete;
  OidcVerifier& operator=(const OidcVerifier&) = delete;

  // kUnauthenticated with the reason (jwt.h's, "Bad signature", "Unknown key id KID", "Token
  // names no user") for a token that does not pass; kUnavailable when no key set could be
  // fetched yet.
  absl::StatusOr<OidcIdentity> Verify(std::string_view token);

  // How many times the fetcher was called (tests, and the rate limit's evidence).
  int64_t fetch_count() const;

 private:
  struct State;
  std::shared_ptr<const JsonWebKeySet> Keys(int64_t now_ms, bool unknown_kid,
                                            absl::Status* fetch_error);
  // The fetch itself, with State::fetch_mu held by the caller.
  std::shared_ptr<const JsonWebKeySet> FetchHoldingLock(int64_t now_ms, absl::Status* fetch_error);
  absl::StatusOr<OidcIdentity> VerifyUncached(std::string_view token, int64_t now_ms);
  OidcIdentity IdentityOf(const JsonValue& claims, int64_t expires_ms) const;

  const Options options_;
  const JwksFetcher fetcher_;
  Clock* clock_;
  std::unique_ptr<State> state_;
};

// The store's user for a verified token, created on first sight (just-in-time provisioning)
// without a password: such a user signs in with tokens only, never with Basic. A token cannot
// act as a user who has a password (the first admin, users made with users/create):
// kUnauthenticated "User NAME has a password; tokens of the OIDC provider cannot act as them".
// Store failures come back as themselves.
absl::StatusOr<store::UserRecord> ProvisionOidcUser(store::AuthStore& store,
                                                    const std::string& username);

// The password hash of a provisioned user: it is no encoded hash, so no password matches it.
inline constexpr std::string_view kOidcUserPasswordHash = "!oidc";

}  // namespace ferry::auth
