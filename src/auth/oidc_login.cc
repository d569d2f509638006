#include "auth/oidc_login.h"

#include <openssl/sha.h>

#include <utility>

#include "auth/oidc_verifier.h"
#include "auth/secrets.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "store/auth_store.h"

namespace ferry::auth {
namespace {

constexpr size_t kRandomBytes = 32;  // state, nonce and code_verifier: 43 base64url characters

absl::StatusOr<std::string> RandomText() {
  ASSIGN_OR_RETURN(std::string bytes, RandomBytes(kRandomBytes));
  return Base64UrlNoPad(bytes);
}

std::string FormField(std::string_view name, std::string_view value) {
  return StrCat(name, "=", UrlEncode(value));
}

// "error: error_description" of a provider's JSON error answer (RFC 6749 §5.2), bounded.
std::string ProviderError(int status, const std::string& body) {
  std::string reason = StrCat("HTTP ", status);
  absl::StatusOr<JsonValue> doc = ParseJson(body);
  if (doc.ok() && doc->is_object()) {
    for (const char* field : {"error", "error_description"}) {
      const JsonValue* v = doc->Find(field);
      if (v != nullptr && v->is_string()) reason += StrCat(", ", v->as_string().substr(0, 200));
    }
  }
  return reason;
}

}  // namespace

std::string PkceChallengeS256(std::string_view code_verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(code_verifier.data()), code_verifier.size(),
         digest);
  return Base64UrlNoPad(std::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

bool IsSafeNextPath(std::string_view next) {
  if (next.empty() || next.size() > 2048 || next[0] != '/') return false;
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return false;
  for (char c : next) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

OidcLoginStates::OidcLoginStates(Clock* clock, int64_t ttl_ms, size_t max_entries)
    : clock_(clock), ttl_ms_(ttl_ms), max_entries_(max_entries) {}

void OidcLoginStates::Put(const std::string& state, OidcPendingLogin login) {
  const int64_t now = clock_->NowMillis();
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [now](const auto& e) { return e.second.expires_ms <= now; });
  while (entries_.size() >= max_entries_) {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.expires_ms < oldest->second.expires_ms) oldest = it;
    }
    entries_.erase(oldest);
  }
  entries_[state] = Entry{std::move(login), now + ttl_ms_};
}

std::optional<OidcPendingLogin> OidcLoginStates::Take(std::string_view state) {
  const int64_t now = clock_->NowMillis();
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(state));
  if (it == entries_.end()) return std::nullopt;
  Entry entry = std::move(it->second);
  entries_.erase(it);
  if (entry.expires_ms <= now) return std::nullopt;
  return std::move(entry.login);
}

OidcLogin::OidcLogin(Options options, OidcClient client, std::shared_ptr<OidcVerifier> id_tokens,
                     store::AuthStore* store, Clock* clock)
    : options_(std::move(options)),
      client_(std::move(client)),
      id_tokens_(std::move(id_tokens)),
      store_(store),
      states_(clock) {}

OidcLogin::~OidcLogin() = default;

absl::StatusOr<std::string> OidcLogin::Begin(std::string_view next,
                                             const std::string& redirect_uri) {
  if (!IsSafeNextPath(next)) {
    return absl::InvalidArgumentError(
        "Invalid value for parameter 'next': it must be a path of this server, such as /#/runs");
  }
  ASSIGN_OR_RETURN(OidcEndpoints endpoints, client_.discover());
  OidcPendingLogin login;
  ASSIGN_OR_RETURN(std::string state, RandomText());
  ASSIGN_OR_RETURN(login.nonce, RandomText());
  ASSIGN_OR_RETURN(login.code_verifier, RandomText());
  login.redirect_uri = options_.redirect_uri.empty() ? redirect_uri : options_.redirect_uri;
  login.next = std::string(next);
  const std::string& base = endpoints.authorization_endpoint;
  std::string url = StrCat(base, base.find('?') == std::string::npos ? "?" : "&",
                           "response_type=code&", FormField("client_id", options_.client_id), "&",
                           FormField("redirect_uri", login.redirect_uri), "&",
                           FormField("scope", options_.scopes), "&", FormField("state", state), "&",
                           FormField("nonce", login.nonce), "&",
                           FormField("code_challenge", PkceChallengeS256(login.code_verifier)),
                           "&code_challenge_method=S256");
  states_.Put(state, std::move(login));
  return url;
}

absl::StatusOr<std::string> OidcLogin::ExchangeCode(const OidcPendingLogin& login,
                                                    std::string_view code) {
  ASSIGN_OR_RETURN(OidcEndpoints endpoints, client_.discover());
  std::string form = StrCat("grant_type=authorization_code&", FormField("code", code), "&",
                            FormField("redirect_uri", login.redirect_uri), "&",
                            FormField("client_id", options_.client_id), "&",
                            FormField("code_verifier", login.code_verifier));
  if (!options_.client_secret.empty()) {
    form += "&" + FormField("client_secret", options_.client_secret);
  }
  ASSIGN_OR_RETURN(auto answer, client_.post_form(endpoints.token_endpoint, form));
  if (answer.first != 200) {
    return absl::UnauthenticatedError(
        StrCat("The provider refused the code: ", ProviderError(answer.first, answer.second)));
  }
  absl::StatusOr<JsonValue> doc = ParseJson(answer.second);
  const JsonValue* id_token = doc.ok() ? doc->Find("id_token") : nullptr;
  if (id_token == nullptr || !id_token->is_string()) {
    return absl::UnauthenticatedError("The provider's token answer has no id_token");
  }
  return id_token->as_string();
}

absl::StatusOr<OidcLogin::SignedIn> OidcLogin::Finish(std::string_view state,
                                                      std::string_view code) {
  std::optional<OidcPendingLogin> login = states_.Take(state);
  if (!login) {
    return absl::PermissionDeniedError(
        "Unknown, expired or already used sign-in state; start the sign-in again");
  }
  if (code.empty()) return absl::InvalidArgumentError("The provider's answer has no code");
  ASSIGN_OR_RETURN(std::string id_token, ExchangeCode(*login, code));
  absl::StatusOr<OidcIdentity> identity = id_tokens_->Verify(id_token);
  if (!identity.ok()) {
    if (absl::IsUnavailable(identity.status())) return identity.status();
    return absl::UnauthenticatedError(
        StrCat("The id_token is invalid: ", std::string(identity.status().message())));
  }
  if (!SecretsEqual(identity->nonce, login->nonce)) {
    return absl::UnauthenticatedError("The id_token is invalid: wrong nonce");
  }
  ASSIGN_OR_RETURN(store::UserRecord user, ProvisionOidcUser(*store_, identity->username));
  return SignedIn{user.username, login->next, std::move(identity->groups),
                  identity->in_admin_group};
}

}  // namespace ferry::auth
