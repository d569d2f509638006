#include "auth/oidc_verifier.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "auth/ttl_cache.h"
#include "common/clock.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "store/auth_store.h"

namespace ferry::auth {
namespace {

constexpr size_t kMaxCachedTokens = 100000;
constexpr size_t kMaxUsernameBytes = 256;

std::string StringClaim(const JsonValue& claims, std::string_view name) {
  const JsonValue* v = claims.Find(name);
  return v != nullptr && v->is_string() ? v->as_string() : "";
}

// The groups claim: an array of strings (others skipped), or one string. At most 256 kept.
std::vector<std::string> Groups(const JsonValue& claims, std::string_view claim) {
  constexpr size_t kMaxGroups = 256;
  std::vector<std::string> out;
  const JsonValue* groups = claims.Find(claim);
  if (groups == nullptr) return out;
  if (groups->is_string()) out.push_back(groups->as_string());
  if (!groups->is_array()) return out;
  for (const JsonValue& g : groups->items()) {
    if (g.is_string() && out.size() < kMaxGroups) out.push_back(g.as_string());
  }
  return out;
}

// The key a token names: by `kid`, or the only key of a set when the token names none.
const JsonWebKey* FindKey(const JsonWebKeySet* keys, const Jwt& jwt) {
  if (keys == nullptr) return nullptr;
  if (!jwt.has_kid) return keys->size() == 1 ? &keys->begin()->second : nullptr;
  auto it = keys->find(jwt.kid);
  return it == keys->end() ? nullptr : &it->second;
}

}  // namespace

struct OidcVerifier::State {
  std::mutex fetch_mu;  // held across a fetch: one at a time
  std::mutex mu;        // guards the rest
  std::shared_ptr<const JsonWebKeySet> keys;
  int64_t fetched_ms = 0;
  int64_t last_attempt_ms = 0;
  uint64_t attempts = 0;
  bool in_flight = false;  // a fetch is under way (fetch_mu is held)
  absl::Status last_error;
  TtlCache<std::string, OidcIdentity> verified{kMaxCachedTokens};

  bool FetchDue(const Options& options, int64_t now_ms, bool unknown_kid) const {
    if (attempts > 0 && now_ms - last_attempt_ms < options.min_refetch_ms) return false;
    return !keys || unknown_kid || now_ms - fetched_ms >= options.refresh_ms;
  }
};

OidcVerifier::OidcVerifier(Options options, JwksFetcher fetcher, Clock* clock)
    : options_(std::move(options)),
      fetcher_(std::move(fetcher)),
      clock_(clock),
      state_(std::make_unique<State>()) {}

OidcVerifier::~OidcVerifier() = default;

int64_t OidcVerifier::fetch_count() const {
  std::lock_guard lock(state_->mu);
  return static_cast<int64_t>(state_->attempts);
}

std::shared_ptr<const JsonWebKeySet> OidcVerifier::Keys(int64_t now_ms, bool unknown_kid,
                                                        absl::Status* fetch_error) {
  State& s = *state_;
  bool wait = false;
  uint64_t seen = 0;
  std::shared_ptr<const JsonWebKeySet> known;
  {
    std::lock_guard lock(s.mu);
    *fetch_error = s.last_error;
    const bool due = s.FetchDue(options_, now_ms, unknown_kid);
    // A fetch under way may bring what this request lacks: wait for it rather than fail.
    wait = !due && s.in_flight && (!s.keys || unknown_kid);
    if (!due && !wait) return s.keys;
    seen = s.attempts;
    known = s.keys;
  }
  std::unique_lock fetching(s.fetch_mu, std::defer_lock);
  if (known && !unknown_kid) {
    // A routine refresh: while another request fetches, the known keys serve this one.
    if (!fetching.try_lock()) return known;
  } else {
    fetching.lock();
  }
  {
    std::lock_guard lock(s.mu);
    // Another request fetched while this one waited: its answer is as fresh as ours would be.
    if (wait || s.attempts != seen) {
      *fetch_error = s.last_error;
      return s.keys;
    }
    ++s.attempts;
    s.last_attempt_ms = now_ms;
    s.in_flight = true;
  }
  return FetchHoldingLock(now_ms, fetch_error);
}

std::shared_ptr<const JsonWebKeySet> OidcVerifier::FetchHoldingLock(int64_t now_ms,
                                                                    absl::Status* fetch_error) {
  State& s = *state_;
  absl::StatusOr<std::string> body = fetcher_();
  absl::StatusOr<JsonWebKeySet> parsed =
      body.ok() ? ParseJwks(*body) : absl::StatusOr<JsonWebKeySet>(body.status());
  std::lock_guard lock(s.mu);
  s.in_flight = false;
  if (parsed.ok()) {
    s.keys = std::make_shared<const JsonWebKeySet>(std::move(*parsed));
    s.fetched_ms = now_ms;
    s.last_error = absl::OkStatus();
  } else {
    s.last_error = absl::UnavailableError(
        StrCat("Cannot fetch the OIDC provider's keys: ", std::string(parsed.status().message())));
  }
  *fetch_error = s.last_error;
  return s.keys;
}

OidcIdentity OidcVerifier::IdentityOf(const JsonValue& claims, int64_t expires_ms) const {
  OidcIdentity identity;
  identity.username = StringClaim(claims, options_.username_claim);
  if (identity.username.empty()) identity.username = StringClaim(claims, "sub");
  identity.groups = Groups(claims, options_.groups_claim);
  identity.in_admin_group =
      !options_.admin_group.empty() && std::find(identity.groups.begin(), identity.groups.end(),
                                                 options_.admin_group) != identity.groups.end();
  identity.valid_until_ms = expires_ms + options_.expect.leeway_ms;
  identity.nonce = StringClaim(claims, "nonce");
  return identity;
}

absl::StatusOr<OidcIdentity> OidcVerifier::VerifyUncached(std::string_view token, int64_t now_ms) {
  ASSIGN_OR_RETURN(Jwt jwt, ParseJwt(token));
  absl::Status fetch_error;
  std::shared_ptr<const JsonWebKeySet> keys = Keys(now_ms, false, &fetch_error);
  const JsonWebKey* key = FindKey(keys.get(), jwt);
  if (key == nullptr) {  // perhaps rotated: look once more (rate-limited)
    keys = Keys(now_ms, true, &fetch_error);
    key = FindKey(keys.get(), jwt);
  }
  if (keys == nullptr) {
    return fetch_error.ok() ? absl::UnavailableError("No OIDC keys yet") : fetch_error;
  }
  if (key == nullptr) {
    return absl::UnauthenticatedError(
        StrCat("Unknown key id ", jwt.has_kid ? jwt.kid.substr(0, 64) : "(none)"));
  }
  if (!key->Verify(jwt.algorithm, jwt.signing_input, jwt.signature)) {
    return absl::UnauthenticatedError("Bad signature");
  }
  ASSIGN_OR_RETURN(int64_t expires_ms, CheckClaims(jwt.claims, options_.expect, now_ms));
  OidcIdentity identity = IdentityOf(jwt.claims, expires_ms);
  if (identity.username.empty() || identity.username.size() > kMaxUsernameBytes) {
    return absl::UnauthenticatedError("Token names no user");
  }
  return identity;
}

absl::StatusOr<OidcIdentity> OidcVerifier::Verify(std::string_view token) {
  const int64_t now = clock_->NowMillis();
  if (token.size() > kMaxJwtBytes) return ParseJwt(token).status();
  const std::string key = Sha256Hex(token);
  if (std::optional<OidcIdentity> hit = state_->verified.Find(key, now)) return *hit;
  const uint64_t generation = state_->verified.generation();
  ASSIGN_OR_RETURN(OidcIdentity identity, VerifyUncached(token, now));
  state_->verified.Insert(key, identity, identity.valid_until_ms, generation);
  return identity;
}

absl::StatusOr<store::UserRecord> ProvisionOidcUser(store::AuthStore& store,
                                                    const std::string& username) {
  absl::StatusOr<store::UserRecord> user = store.GetAuthUser(username);
  if (absl::IsNotFound(user.status())) {
    user = store.CreateAuthUser(username, std::string(kOidcUserPasswordHash), false);
    // Another request (or replica) provisioned the same user meanwhile.
    if (absl::IsAlreadyExists(user.status())) user = store.GetAuthUser(username);
  }
  RETURN_IF_ERROR(user.status());
  if (user->password_hash != kOidcUserPasswordHash) {
    return absl::UnauthenticatedError(StrCat(
        "User ", username, " has a password; tokens of the OIDC provider cannot act as them"));
  }
  return user;
}

}  // namespace ferry::auth
