#include "package/distribution/registry_auth.h"

#include <cctype>

#include "common/json.h"
#include "common/strings.h"

namespace ferry::package {
namespace {

void SkipSpaces(std::string_view* s) {
  while (!s->empty() && (s->front() == ' ' || s->front() == '\t' || s->front() == ',')) {
    s->remove_prefix(1);
  }
}

// A token68 or quoted-string value (RFC 9110 11.2), removed from the front of *s.
std::string TakeValue(std::string_view* s) {
  std::string value;
  if (!s->empty() && s->front() == '"') {
    s->remove_prefix(1);
    while (!s->empty() && s->front() != '"') {
      if (s->front() == '\\' && s->size() > 1) s->remove_prefix(1);
      value.push_back(s->front());
      s->remove_prefix(1);
    }
    if (!s->empty()) s->remove_prefix(1);
    return value;
  }
  while (!s->empty() && s->front() != ',' && s->front() != ' ') {
    value.push_back(s->front());
    s->remove_prefix(1);
  }
  return value;
}

bool IsLoopbackUrl(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (StartsWith(url, scheme)) url.remove_prefix(scheme.size());
  }
  return StartsWith(url, "127.") || StartsWith(url, "localhost") || StartsWith(url, "[::1]");
}

std::string QueryValue(std::string_view s) { return PercentEncode(s, "-_.~"); }

}  // namespace

absl::StatusOr<AuthChallenge> ParseAuthChallenge(const std::string& header) {
  std::string_view rest = header;
  SkipSpaces(&rest);
  AuthChallenge challenge;
  while (!rest.empty() && rest.front() != ' ') {
    challenge.scheme.push_back(static_cast<char>(std::tolower(rest.front())));
    rest.remove_prefix(1);
  }
  if (challenge.scheme.empty()) return absl::InvalidArgumentError("no authentication challenge");
  while (true) {
    SkipSpaces(&rest);
    const size_t equals = rest.find('=');
    if (rest.empty() || equals == std::string_view::npos) break;
    std::string name = ToLower(rest.substr(0, equals));
    if (name.find(' ') != std::string::npos) break;  // the next challenge's scheme
    rest.remove_prefix(equals + 1);
    challenge.params[name] = TakeValue(&rest);
  }
  return challenge;
}

std::string RegistryAuth::NeedsCredentials() const {
  return "registry " + registry_ +
         " requires authentication: set FERRY_REGISTRY_USERNAME and FERRY_REGISTRY_PASSWORD, or "
         "`docker login " +
         registry_ + "`";
}

absl::Status RegistryAuth::Refused(const std::string& what) const {
  if (credentials_.empty())
    return absl::UnauthenticatedError(NeedsCredentials() + " (" + what + ")");
  return absl::PermissionDeniedError("registry " + registry_ +
                                     " refused the credentials of user '" + credentials_.username +
                                     "' (from " + credentials_.source + ") for " + what);
}

absl::Status RegistryAuth::OnChallenge(const net::ClientResponse& response, const std::string& sent,
                                       const net::HttpClient& http) {
  absl::StatusOr<AuthChallenge> challenge = ParseAuthChallenge(response.Header("www-authenticate"));
  if (!challenge.ok()) {
    return absl::PermissionDeniedError("registry " + registry_ +
                                       " answered 401 without a WWW-Authenticate challenge");
  }
  if (challenge->scheme == "basic") return Basic(sent);
  if (challenge->scheme == "bearer") return Bearer(*challenge, sent, http);
  return absl::UnimplementedError("registry " + registry_ + " asks for authentication scheme '" +
                                  challenge->scheme + "', which Ferry does not speak");
}

absl::Status RegistryAuth::Basic(const std::string& sent) {
  if (credentials_.empty()) return absl::UnauthenticatedError(NeedsCredentials());
  const std::string basic = credentials_.BasicAuthorization();
  if (sent == basic) return Refused("Basic authentication");
  header_ = basic;
  return absl::OkStatus();
}

absl::Status RegistryAuth::Bearer(const AuthChallenge& challenge, const std::string& sent,
                                  const net::HttpClient& http) {
  auto scope = challenge.params.find("scope");
  const std::string key = scope != challenge.params.end() ? scope->second : "";
  if (auto cached = tokens_.find(key); cached != tokens_.end() && cached->second != sent) {
    header_ = cached->second;  // a token this client got for the scope earlier
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::string token, FetchToken(challenge, http));
  header_ = tokens_[key] = "Bearer " + token;
  return absl::OkStatus();
}

absl::StatusOr<std::string> RegistryAuth::FetchToken(const AuthChallenge& challenge,
                                                     const net::HttpClient& http) const {
  auto realm = challenge.params.find("realm");
  if (realm == challenge.params.end() ||
      !(StartsWith(realm->second, "https://") || StartsWith(realm->second, "http://"))) {
    return absl::PermissionDeniedError("registry " + registry_ +
                                       " asks for a token without an http(s) realm");
  }
  const bool send_credentials = !credentials_.empty();
  if (send_credentials && !StartsWith(realm->second, "https://") && !IsLoopbackUrl(realm->second)) {
    return absl::PermissionDeniedError("registry " + registry_ + "'s token service " +
                                       realm->second +
                                       " is plain http: Ferry does not send credentials there");
  }
  std::string url = realm->second;
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : challenge.params) {
    if (name != "service" && name != "scope") continue;
    for (std::string_view part : SplitString(value, ' ')) {  // several scopes: one each
      if (part.empty()) continue;
      url += separator + name + "=" + QueryValue(part);
      separator = '&';
    }
  }
  net::ClientRequest request;
  request.target = url;
  request.max_response_bytes = 1 << 20;
  if (send_credentials) request.headers = {{"Authorization", credentials_.BasicAuthorization()}};
  absl::StatusOr<net::ClientResponse> response = http.Do(request);
  if (!response.ok()) {
    return absl::UnavailableError("registry " + registry_ +
                                  "'s token service: " + std::string(response.status().message()));
  }
  if (response->status == 401 || response->status == 403) {
    if (!send_credentials) return absl::UnauthenticatedError(NeedsCredentials());
    return Refused("a token from " + realm->second);
  }
  if (response->status != 200) {
    return absl::UnavailableError("registry " + registry_ + "'s token service answered HTTP " +
                                  std::to_string(response->status));
  }
  absl::StatusOr<JsonValue> doc = ParseJson(response->body);
  for (const char* field : {"token", "access_token"}) {
    const JsonValue* token = doc.ok() ? doc->Find(field) : nullptr;
    if (token != nullptr && token->is_string() && !token->as_string().empty()) {
      return token->as_string();
    }
  }
  return absl::DataLossError("registry " + registry_ + "'s token service answered without a token");
}

}  // namespace ferry::package
