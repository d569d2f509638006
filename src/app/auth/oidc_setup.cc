#include "app/auth/oidc_setup.h"

#include <string>

#include "auth/jwks.h"
#include "auth/oidc_verifier.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/logging.h"
#include "common/strings.h"
#include "net/http_client.h"

namespace ferry::app {
namespace {

constexpr int kConnectTimeoutMs = 5000;
constexpr int kTotalTimeoutMs = 10000;

// The body of a 200 answer to GET `url`, at most auth::kMaxJwksBytes.
absl::StatusOr<std::string> GetDocument(const std::string& url) {
  ASSIGN_OR_RETURN(net::HttpClient client, net::HttpClient::ForUri(url));
  client.set_timeout_ms(kConnectTimeoutMs);
  client.set_total_timeout_ms(kTotalTimeoutMs);
  net::ClientRequest request;
  request.target = url;
  request.headers.emplace_back("Accept", "application/json");
  request.max_response_bytes = static_cast<int64_t>(auth::kMaxJwksBytes);
  ASSIGN_OR_RETURN(net::ClientResponse response, client.Do(request));
  if (response.status != 200) {
    return absl::UnavailableError(StrCat(url, " answered HTTP ", response.status));
  }
  return std::move(response.body);
}

// OpenID Connect Discovery 1.0 §4: the provider's metadata names its JWKS.
absl::StatusOr<std::string> DiscoverJwksUrl(const std::string& issuer) {
  std::string base = issuer;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string url = base + "/.well-known/openid-configuration";
  ASSIGN_OR_RETURN(std::string body, GetDocument(url));
  ASSIGN_OR_RETURN(JsonValue doc, ParseJson(body));
  const JsonValue* iss = doc.Find("issuer");
  if (iss == nullptr || !iss->is_string() || iss->as_string() != issuer) {
    return absl::UnavailableError(StrCat(url, " names another issuer"));
  }
  const JsonValue* jwks = doc.Find("jwks_uri");
  if (jwks == nullptr || !jwks->is_string() ||
      !(jwks->as_string().starts_with("https://") || jwks->as_string().starts_with("http://"))) {
    return absl::UnavailableError(StrCat(url, " has no http(s) jwks_uri"));
  }
  return jwks->as_string();
}

// Fetches the JWKS, discovering its URL first when none was given. OidcVerifier never calls
// it twice at once, so the discovered URL needs no lock.
class JwksFetch {
 public:
  JwksFetch(std::string issuer, std::string jwks_url)
      : issuer_(std::move(issuer)), jwks_url_(std::move(jwks_url)) {}

  absl::StatusOr<std::string> operator()() {
    absl::StatusOr<std::string> jwks = Fetch();
    if (!jwks.ok()) {
      const std::string error(jwks.status().message());
      LogWarn("cannot fetch the OIDC provider's keys", {{"issuer", issuer_}, {"error", error}});
    }
    return jwks;
  }

 private:
  absl::StatusOr<std::string> Fetch() {
    if (jwks_url_.empty()) {
      ASSIGN_OR_RETURN(jwks_url_, DiscoverJwksUrl(issuer_));
    }
    return GetDocument(jwks_url_);
  }

  std::string issuer_;
  std::string jwks_url_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<auth::OidcVerifier>> MakeOidcVerifier(const cli::AuthFlags& flags) {
  if (flags.oidc_issuer.empty()) return nullptr;
  auth::OidcVerifier::Options options;
  options.expect.issuer = flags.oidc_issuer;
  options.expect.audience = flags.oidc_audience;
  options.username_claim = flags.oidc_username_claim;
  options.groups_claim = flags.oidc_groups_claim;
  options.admin_group = flags.oidc_admin_group;
  auto fetch = std::make_shared<JwksFetch>(flags.oidc_issuer, flags.oidc_jwks_url);
  return std::make_shared<auth::OidcVerifier>(
      options, [fetch] { return (*fetch)(); }, &SystemClock());
}

}  // namespace ferry::app
