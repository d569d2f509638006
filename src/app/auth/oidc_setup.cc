#include "app/auth/oidc_setup.h"

#include <cctype>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "auth/jwks.h"
#include "auth/oidc_login.h"
#include "auth/oidc_verifier.h"
#include "common/clock.h"
#include "common/fs.h"
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

// OpenID Connect Discovery 1.0 §4: the provider's metadata (whose `issuer` must be ISSUER).
absl::StatusOr<JsonValue> Discover(const std::string& issuer) {
  std::string base = issuer;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string url = base + "/.well-known/openid-configuration";
  ASSIGN_OR_RETURN(std::string body, GetDocument(url));
  ASSIGN_OR_RETURN(JsonValue doc, ParseJson(body));
  const JsonValue* iss = doc.Find("issuer");
  if (iss == nullptr || !iss->is_string() || iss->as_string() != issuer) {
    return absl::UnavailableError(StrCat(url, " names another issuer"));
  }
  return doc;
}

// The http(s) URL `field` of the discovery document.
absl::StatusOr<std::string> DiscoveredUrl(const std::string& issuer, const JsonValue& doc,
                                          const char* field) {
  const JsonValue* v = doc.Find(field);
  if (v == nullptr || !v->is_string() ||
      !(v->as_string().starts_with("https://") || v->as_string().starts_with("http://"))) {
    return absl::UnavailableError(
        StrCat("The discovery document of ", issuer, " has no http(s) ", field));
  }
  return v->as_string();
}

absl::StatusOr<std::string> DiscoverJwksUrl(const std::string& issuer) {
  ASSIGN_OR_RETURN(JsonValue doc, Discover(issuer));
  return DiscoveredUrl(issuer, doc, "jwks_uri");
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

// The authorization and token endpoints, discovered on first use and again after an hour;
// a failed discovery is not remembered (the next sign-in tries again).
class EndpointCache {
 public:
  explicit EndpointCache(std::string issuer) : issuer_(std::move(issuer)) {}

  absl::StatusOr<auth::OidcEndpoints> Get() {
    constexpr int64_t kRefreshMs = 3600 * 1000;
    const int64_t now = SystemClock().NowMillis();
    std::lock_guard lock(mu_);
    if (known_ && now - fetched_ms_ < kRefreshMs) return *known_;
    absl::StatusOr<JsonValue> doc = Discover(issuer_);
    absl::StatusOr<auth::OidcEndpoints> found =
        doc.ok() ? EndpointsOf(*doc) : absl::StatusOr<auth::OidcEndpoints>(doc.status());
    if (!found.ok()) {
      LogWarn("cannot discover the OIDC provider's endpoints",
              {{"issuer", issuer_}, {"error", std::string(found.status().message())}});
      return absl::UnavailableError(
          StrCat("Cannot reach the OIDC provider: ", std::string(found.status().message())));
    }
    known_ = *found;
    fetched_ms_ = now;
    return found;
  }

 private:
  absl::StatusOr<auth::OidcEndpoints> EndpointsOf(const JsonValue& doc) const {
    auth::OidcEndpoints endpoints;
    ASSIGN_OR_RETURN(endpoints.authorization_endpoint,
                     DiscoveredUrl(issuer_, doc, "authorization_endpoint"));
    ASSIGN_OR_RETURN(endpoints.token_endpoint, DiscoveredUrl(issuer_, doc, "token_endpoint"));
    return endpoints;
  }

  const std::string issuer_;
  std::mutex mu_;
  std::optional<auth::OidcEndpoints> known_;
  int64_t fetched_ms_ = 0;
};

// POSTs a form to the token endpoint: the answer's status and body (at most 256 KiB).
absl::StatusOr<std::pair<int, std::string>> PostForm(const std::string& url,
                                                     const std::string& form) {
  ASSIGN_OR_RETURN(net::HttpClient client, net::HttpClient::ForUri(url));
  client.set_timeout_ms(kConnectTimeoutMs);
  client.set_total_timeout_ms(kTotalTimeoutMs);
  net::ClientRequest request;
  request.method = "POST";
  request.target = url;
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Accept", "application/json");
  request.body = form;
  request.max_response_bytes = static_cast<int64_t>(auth::kMaxJwksBytes);
  absl::StatusOr<net::ClientResponse> response = client.Do(request);
  if (!response.ok()) {
    return absl::UnavailableError(StrCat("Cannot reach the OIDC provider's token endpoint: ",
                                         std::string(response.status().message())));
  }
  return std::make_pair(response->status, std::move(response->body));
}

auth::OidcVerifier::Options VerifierOptions(const cli::AuthFlags& flags,
                                            const std::string& audience) {
  auth::OidcVerifier::Options options;
  options.expect.issuer = flags.oidc_issuer;
  options.expect.audience = audience;
  options.username_claim = flags.oidc_username_claim;
  options.groups_claim = flags.oidc_groups_claim;
  options.admin_group = flags.oidc_admin_group;
  return options;
}

}  // namespace

absl::StatusOr<std::shared_ptr<auth::OidcLogin>> MakeOidcLogin(const cli::AuthFlags& flags,
                                                               store::AuthStore& store) {
  if (flags.oidc_issuer.empty()) return nullptr;
  auth::OidcLogin::Options options;
  options.client_id = flags.oidc_client_id.empty() ? flags.oidc_audience : flags.oidc_client_id;
  options.scopes = flags.oidc_scopes;
  options.redirect_uri = flags.oidc_redirect_uri;
  if (!flags.oidc_client_secret_file.empty()) {
    absl::StatusOr<std::string> secret = ReadFile(flags.oidc_client_secret_file);
    if (!secret.ok()) {
      return absl::InvalidArgumentError("--oidc-client-secret-file: cannot read the file");
    }
    options.client_secret = *std::move(secret);
    while (!options.client_secret.empty() &&
           std::isspace(static_cast<unsigned char>(options.client_secret.back()))) {
      options.client_secret.pop_back();
    }
    if (options.client_secret.empty()) {
      return absl::InvalidArgumentError("--oidc-client-secret-file: the file is empty");
    }
  }
  auto endpoints = std::make_shared<EndpointCache>(flags.oidc_issuer);
  auth::OidcClient client;
  client.discover = [endpoints] { return endpoints->Get(); };
  client.post_form = PostForm;
  // id_tokens are for the client: their `aud` is the client id, not the API's audience.
  auto fetch = std::make_shared<JwksFetch>(flags.oidc_issuer, flags.oidc_jwks_url);
  auto id_tokens = std::make_shared<auth::OidcVerifier>(
      VerifierOptions(flags, options.client_id), [fetch] { return (*fetch)(); }, &SystemClock());
  return std::make_shared<auth::OidcLogin>(std::move(options), std::move(client),
                                           std::move(id_tokens), &store, &SystemClock());
}

absl::StatusOr<std::shared_ptr<auth::OidcVerifier>> MakeOidcVerifier(const cli::AuthFlags& flags) {
  if (flags.oidc_issuer.empty()) return nullptr;
  auto fetch = std::make_shared<JwksFetch>(flags.oidc_issuer, flags.oidc_jwks_url);
  return std::make_shared<auth::OidcVerifier>(
      VerifierOptions(flags, flags.oidc_audience), [fetch] { return (*fetch)(); }, &SystemClock());
}

}  // namespace ferry::app
