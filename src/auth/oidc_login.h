#pragma once
// The web UI's sign-in at the OpenID provider (docs/AUTH.md, OIDC: browser sign-in): the
// authorization code flow (OpenID Connect Core 1.0 §3.1) with PKCE (RFC 7636, S256).
//
// Begin() makes a random `state`, `nonce` and PKCE `code_verifier`, keeps them in memory for
// ten minutes (OidcLoginStates: one replica's memory, so the callback must reach the replica
// that began the sign-in; a load balancer with sticky sessions, or one replica, does) and
// returns the provider's authorization URL. Finish() takes the state back (once only),
// exchanges the code at the token endpoint, verifies the id_token (signature, iss, aud = the
// client id, exp, nbf) and its `nonce`, and provisions the user as a Bearer token of the
// provider would (ProvisionOidcUser). The network is reached through OidcClient, which app/
// implements over net::HttpClient (auth/ does not reach the network).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace ferry {
class Clock;
}  // namespace ferry
namespace ferry::store {
class AuthStore;
}  // namespace ferry::store

namespace ferry::auth {

class OidcVerifier;

// RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))), without padding.
std::string PkceChallengeS256(std::string_view code_verifier);

// Whether `next` may be where a sign-in returns to: a path of this server ("/", "/#/runs"),
// never another origin ("//evil", "https://...", "/\\evil"), nor one with control characters.
bool IsSafeNextPath(std::string_view next);

// A sign-in under way, between Begin and Finish.
struct OidcPendingLogin {
  std::string nonce;
  std::string code_verifier;
  std::string redirect_uri;
  std::string next;
};

// The pending sign-ins by `state`: each is taken once, and only within `ttl_ms`. At most
// `max_entries` are kept (the oldest pending one makes room). Thread-safe.
class OidcLoginStates {
 public:
  static constexpr int64_t kDefaultTtlMs = 10 * 60 * 1000;
  explicit OidcLoginStates(Clock* clock, int64_t ttl_ms = kDefaultTtlMs,
                           size_t max_entries = 10000);

  void Put(const std::string& state, OidcPendingLogin login);
  // The sign-in `state` names, removed; nullopt when unknown, already taken or expired.
  std::optional<OidcPendingLogin> Take(std::string_view state);

 private:
  struct Entry {
    OidcPendingLogin login;
    int64_t expires_ms = 0;
  };
  Clock* clock_;
  const int64_t ttl_ms_;
  const size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

// The provider's endpoints (from its discovery document).
struct OidcEndpoints {
  std::string authorization_endpoint;
  std::string token_endpoint;
};

// How OidcLogin reaches the provider. `discover` may cache. `post_form` POSTs an
// application/x-www-form-urlencoded body and returns the answer's status and body.
struct OidcClient {
  std::function<absl::StatusOr<OidcEndpoints>()> discover;
  std::function<absl::StatusOr<std::pair<int, std::string>>(const std::string& url,
                                                            const std::string& form)>
      post_form;
};

class OidcLogin {
 public:
  struct Options {
    std::string client_id;
    std::string client_secret;  // empty: a public client
    std::string scopes = "openid profile email groups";
    std::string redirect_uri;  // empty: the one the caller derives per request
  };

  // `id_tokens` verifies with aud = the client id. `store` and `clock` outlive this.
  OidcLogin(Options options, OidcClient client, std::shared_ptr<OidcVerifier> id_tokens,
            store::AuthStore* store, Clock* clock);
  ~OidcLogin();

  const Options& options() const { return options_; }

  // The URL to send the browser to. `next` must pass IsSafeNextPath (kInvalidArgument
  // otherwise); `redirect_uri` is used unless Options::redirect_uri is set. kUnavailable when
  // the provider's discovery document cannot be had.
  absl::StatusOr<std::string> Begin(std::string_view next, const std::string& redirect_uri);

  struct SignedIn {
    std::string username;
    std::string next;
    std::vector<std::string> groups;  // the id_token's groups claim
    bool in_admin_group = false;      // the id_token was in --oidc-admin-group
  };
  // Errors, each naming its reason and never a token: kPermissionDenied "Unknown, expired or
  // already used sign-in state"; kUnauthenticated "The provider refused the code: ..." or
  // "The id_token is invalid: ..." (nonce included); kUnavailable when the token endpoint
  // cannot be reached.
  absl::StatusOr<SignedIn> Finish(std::string_view state, std::string_view code);

 private:
  absl::StatusOr<std::string> ExchangeCode(const OidcPendingLogin& login, std::string_view code);

  const Options options_;
  const OidcClient client_;
  std::shared_ptr<OidcVerifier> id_tokens_;
  store::AuthStore* store_;
  OidcLoginStates states_;
};

}  // namespace ferry::auth
