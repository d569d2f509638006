#pragma once
// A registry's authentication as the distribution spec describes it: a request answered 401
// carries `WWW-Authenticate: Bearer realm="...",service="...",scope="..."` (get a token from
// the realm, with Basic credentials when there are any, else anonymously, and send it as
// `Authorization: Bearer`) or `WWW-Authenticate: Basic realm="..."` (send the credentials).
// Tokens are cached per scope for the client's life. Errors name the registry and the user,
// never a password or a token. Not thread-safe.

#include <map>
#include <string>

#include "common/status.h"
#include "net/http_client.h"
#include "package/distribution/registry_credentials.h"

namespace ferry::package {

// One challenge of a WWW-Authenticate header: the scheme (lower-cased) and its parameters
// (names lower-cased, quotes removed).
struct AuthChallenge {
  std::string scheme;
  std::map<std::string, std::string> params;
};

// The first challenge in `header`; kInvalidArgument when there is none.
absl::StatusOr<AuthChallenge> ParseAuthChallenge(const std::string& header);

class RegistryAuth {
 public:
  RegistryAuth(std::string registry, RegistryCredentials credentials)
      : registry_(std::move(registry)), credentials_(std::move(credentials)) {}

  // The Authorization header for the registry's next request ("" for none yet).
  const std::string& header() const { return header_; }

  // Answers the 401 `response` to a request sent with `sent` (the header() then): OK when
  // header() has changed and the request should be sent again. A token comes from the realm
  // through `http` (absolute URL; the registry client's CA settings apply).
  // kUnauthenticated when the registry wants credentials and none are configured,
  // kPermissionDenied when the registry or its token service refused them, kUnavailable or
  // kDataLoss for a token service that failed.
  absl::Status OnChallenge(const net::ClientResponse& response, const std::string& sent,
                           const net::HttpClient& http);

  // The error for a request still answered 401 after OnChallenge: the credentials (or the
  // anonymous token) were refused. `what` is the request, as "GET /v2/...".
  absl::Status Refused(const std::string& what) const;

 private:
  absl::Status Basic(const std::string& sent);
  absl::Status Bearer(const AuthChallenge& challenge, const std::string& sent,
                      const net::HttpClient& http);
  absl::StatusOr<std::string> FetchToken(const AuthChallenge& challenge,
                                         const net::HttpClient& http) const;
  std::string NeedsCredentials() const;

  std::string registry_;
  RegistryCredentials credentials_;
  std::string header_;
  std::map<std::string, std::string> tokens_;  // scope -> "Bearer <token>"
};

}  // namespace ferry::package
