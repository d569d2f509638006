#include "auth/auth_service.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>
#include <variant>

#include "auth/credentials.h"
#include "auth/jwt.h"
#include "auth/oidc_verifier.h"
#include "auth/password.h"
#include "auth/secrets.h"
#include "auth/ttl_cache.h"
#include "common/clock.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "core/workspace.h"
#include "store/auth_store.h"

namespace ferry::auth {
namespace {

using store::GrantResource;
constexpr GrantResource kExperiment = GrantResource::kExperiment;
constexpr GrantResource kModel = GrantResource::kRegisteredModel;

// Enough for every credential of a large team several times over; see TtlCache.
constexpr size_t kMaxCachedPrincipals = 100000;
constexpr size_t kMaxCachedGrantSets = 100000;
constexpr size_t kGeneratedPasswordLength = 24;

// A verified credential: who it names and, for a token, what ends it before the cache does.
struct VerifiedCredential {
  Principal principal;
  std::string token_id;                     // empty for Basic
  std::optional<int64_t> token_expires_ms;  // a token's own expiry
  int64_t verified_ms = 0;                  // when it was checked against the store
};

using GrantMap = std::map<std::string, Permission, std::less<>>;

// One user's grants, by resource.
struct GrantSet {
  GrantMap experiments;
  GrantMap registered_models;
};

using GrantCache = TtlCache<int64_t, std::shared_ptr<const GrantSet>>;

// The store takes std::string and permission names.
std::string S(std::string_view s) { return std::string(s); }
std::string Name(Permission p) { return std::string(PermissionName(p)); }

absl::Status InvalidLogin() { return absl::UnauthenticatedError("Invalid username or password"); }

absl::Status CheckNotEmpty(std::string_view value, const char* what) {
  if (!value.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(StrCat(what, " cannot be empty."));
}

// A stored permission name; an unreadable one grants nothing.
Permission StoredPermission(const std::string& name) {
  return ParsePermission(name).value_or(Permission::kNoPermissions);
}

GrantMap ToMap(const std::vector<store::GrantRecord>& records) {
  GrantMap out;
  for (const auto& r : records) out.emplace(r.resource, StoredPermission(r.permission));
  return out;
}

// A stored grant as the service's ExperimentGrant or RegisteredModelGrant.
template <typename Grant>
Grant ToGrant(const store::GrantRecord& r) {
  return Grant{r.resource, r.user_id, StoredPermission(r.permission)};
}

template <typename Grant>
absl::StatusOr<Grant> ToGrant(const absl::StatusOr<store::GrantRecord>& record) {
  RETURN_IF_ERROR(record.status());
  return ToGrant<Grant>(*record);
}

// Passes `result` (of a grant change already made) through, after dropping every cached grant
// set. Grant changes are rare; the sets reload with one query each.
template <typename Result>
Result ClearingGrants(GrantCache& grants, Result result) {
  grants.Clear();
  return result;
}

// Without its grants.
User ToUser(const store::UserRecord& r) { return User{r.id, r.username, r.is_admin, {}, {}}; }

Principal ToPrincipal(const store::UserRecord& r) {
  return Principal{r.id, r.username, r.is_admin, {}};
}

TokenInfo ToTokenInfo(const store::TokenRecord& r) {
  return TokenInfo{r.id,         r.user_id,    r.name,        r.created_ms,
                   r.expires_ms, r.revoked_ms, r.last_used_ms};
}

// Spends a verification's time on an unknown user too, so response times do not tell which
// usernames exist. The hash is of no password anyone knows.
void VerifyAgainstDummy(std::string_view password) {
  static const std::string dummy = "scrypt:32768:8:1$ferry-dummy-salt$" + std::string(128, '0');
  (void)VerifyPassword(password, dummy);
}

absl::StatusOr<VerifiedCredential> Verify(store::AuthStore& store, OidcVerifier*,
                                          const BasicCredentials& basic, int64_t now_ms) {
  absl::StatusOr<store::UserRecord> user = store.GetAuthUser(basic.username);
  if (absl::IsNotFound(user.status())) {
    VerifyAgainstDummy(basic.password);
    return InvalidLogin();
  }
  RETURN_IF_ERROR(user.status());
  // A provisioned OIDC user has no password; the answer takes as long as for one who has.
  if (user->password_hash == kOidcUserPasswordHash) VerifyAgainstDummy(basic.password);
  if (!VerifyPassword(basic.password, user->password_hash)) return InvalidLogin();
  return VerifiedCredential{ToPrincipal(*user), "", std::nullopt};
}

// An OIDC provider's token (a JWT) acts as the user it names, an admin if in the admin group.
absl::StatusOr<VerifiedCredential> VerifyJwt(store::AuthStore& store, OidcVerifier& oidc,
                                             std::string_view token) {
  ASSIGN_OR_RETURN(OidcIdentity identity, oidc.Verify(token));
  ASSIGN_OR_RETURN(store::UserRecord user, ProvisionOidcUser(store, identity.username));
  Principal principal = ToPrincipal(user);
  principal.is_admin = principal.is_admin || identity.in_admin_group;
  principal.groups = std::move(identity.groups);
  return VerifiedCredential{principal, "", identity.valid_until_ms};
}

absl::StatusOr<VerifiedCredential> Verify(store::AuthStore& store, OidcVerifier* oidc,
                                          const BearerCredentials& bearer, int64_t now_ms) {
  absl::Status unknown = absl::UnauthenticatedError("Unknown token");
  if (oidc != nullptr && LooksLikeJwt(bearer.token)) return VerifyJwt(store, *oidc, bearer.token);
  if (!StartsWith(bearer.token, kTokenPrefix)) return unknown;
  absl::StatusOr<store::TokenRecord> token = store.GetAccessTokenByHash(Sha256Hex(bearer.token));
  if (absl::IsNotFound(token.status())) return unknown;
  RETURN_IF_ERROR(token.status());
  if (token->revoked_ms) return absl::UnauthenticatedError("Token revoked");
  if (token->expires_ms && now_ms >= *token->expires_ms) {
    return absl::UnauthenticatedError("Token expired");
  }
  absl::StatusOr<store::UserRecord> user = store.GetAuthUserById(token->user_id);
  if (absl::IsNotFound(user.status())) return unknown;
  RETURN_IF_ERROR(user.status());
  // Once per cache fill, not per request: last_used_ms is as fresh as the cache TTL.
  store.TouchAccessToken(token->id, now_ms).IgnoreError();
  // An OIDC browser session carries its id_token's groups and admin group, as VerifyJwt.
  Principal principal = ToPrincipal(*user);
  principal.is_admin = principal.is_admin || token->admin_group;
  principal.groups = std::move(token->groups);
  return VerifiedCredential{std::move(principal), token->id, token->expires_ms};
}

}  // namespace

struct AuthService::Cache {
  // Keyed by the SHA-256 of the whole Authorization header: neither a password nor a token is
  // kept in memory.
  TtlCache<std::string, VerifiedCredential> credentials{kMaxCachedPrincipals};
  GrantCache grants{kMaxCachedGrantSets};

  // Drops what was verified for `username`'s credentials (after a password or admin change,
  // or a deletion).
  void ForgetUser(std::string_view username) {
    credentials.EraseIf([&](const std::string&, const VerifiedCredential& v) {
      return v.principal.username == username;
    });
  }

  // The user's grants, from the cache or the store; null if the store cannot be read.
  std::shared_ptr<const GrantSet> GrantsOf(store::AuthStore& store, int64_t user_id, int64_t now_ms,
                                           int64_t ttl_ms) {
    if (auto hit = grants.Find(user_id, now_ms)) return *hit;
    const uint64_t generation = grants.generation();
    absl::StatusOr<store::UserGrants> records = store.ListGrants(user_id);
    if (!records.ok()) return nullptr;
    auto set = std::make_shared<GrantSet>(
        GrantSet{ToMap(records->experiments), ToMap(records->registered_models)});
    grants.Insert(user_id, set, now_ms + ttl_ms, generation);
    return set;
  }

  // What `who` may do with `resource`, one of the resources in `GrantSet::*kind`: admins
  // everything, else the grant, else the default. Nothing if the grants cannot be read.
  // Outside `default` a resource without a grant gets nothing but the role's `floor`.
  Permission Resolve(store::AuthStore& store, const Principal& who, GrantMap GrantSet::*kind,
                     std::string_view resource, std::string_view workspace, Permission floor,
                     int64_t now_ms, const Options& options) {
    if (who.is_admin) return Permission::kManage;
    auto set = GrantsOf(store, who.user_id, now_ms, options.cache_ttl_ms);
    if (!set) return Permission::kNoPermissions;  // the store is down: deny rather than guess
    const GrantMap& granted = (*set).*kind;
    auto it = granted.find(resource);
    const Permission otherwise =
        workspace == kDefaultWorkspace ? options.default_permission : Permission::kNoPermissions;
    return std::max(floor, it == granted.end() ? otherwise : it->second);
  }
};

AuthService::AuthService(store::AuthStore* store, Clock* clock, Options options)
    : store_(store),
      clock_(clock),
      options_(options),
      cache_(std::make_unique<Cache>()),
      roles_(std::make_unique<WorkspaceRoles>(store, clock, options.cache_ttl_ms)) {}

AuthService::~AuthService() = default;

// ---- authentication ----

absl::StatusOr<Principal> AuthService::Authenticate(std::string_view authorization) {
  ASSIGN_OR_RETURN(Remembered r, AuthenticateToRemember(authorization));
  return std::move(r.principal);
}

bool AuthService::StillValid(const Remembered& r) const {
  return r.generation == cache_->credentials.generation() && clock_->NowMillis() < r.valid_until_ms;
}

absl::StatusOr<AuthService::Remembered> AuthService::AuthenticateToRemember(
    std::string_view authorization) {
  const int64_t now = clock_->NowMillis();
  const uint64_t generation = cache_->credentials.generation();
  const std::string key = Sha256Hex(authorization);
  std::optional<VerifiedCredential> verified = cache_->credentials.Find(key, now);
  if (!verified) {
    ASSIGN_OR_RETURN(Credentials credentials, ParseAuthorization(authorization));
    ASSIGN_OR_RETURN(
        verified,
        std::visit([&](const auto& c) { return Verify(*store_, options_.oidc.get(), c, now); },
                   credentials));
    verified->verified_ms = now;
    cache_->credentials.Insert(key, *verified, now + options_.cache_ttl_ms, generation);
  }
  // A cached token still ends when it expires.
  if (verified->token_expires_ms && now >= *verified->token_expires_ms) {
    return absl::UnauthenticatedError("Token expired");
  }
  // No longer than the cache would have kept it: another server's revocation reaches this one
  // within one TTL either way.
  int64_t valid_until = verified->verified_ms + options_.cache_ttl_ms;
  if (verified->token_expires_ms) valid_until = std::min(valid_until, *verified->token_expires_ms);
  return Remembered{std::move(verified->principal), valid_until, generation};
}

// ---- permissions ----

Permission AuthService::ExperimentPermission(const Principal& who, std::string_view experiment_id,
                                             std::string_view workspace) {
  if (who.is_admin) return Permission::kManage;
  return cache_->Resolve(*store_, who, &GrantSet::experiments, experiment_id, workspace,
                         RoleFloor(RoleIn(who, workspace)), clock_->NowMillis(), options_);
}

Permission AuthService::RegisteredModelPermission(const Principal& who, std::string_view name,
                                                  std::string_view workspace) {
  if (who.is_admin) return Permission::kManage;
  return cache_->Resolve(*store_, who, &GrantSet::registered_models, name, workspace,
                         RoleFloor(RoleIn(who, workspace)), clock_->NowMillis(), options_);
}

std::optional<WorkspaceRole> AuthService::RoleIn(const Principal& who, std::string_view workspace) {
  if (who.is_admin) return WorkspaceRole::kAdmin;
  return roles_->RoleOf(who, workspace);
}

bool AuthService::CanSeeWorkspace(const Principal& who, std::string_view workspace) {
  return workspace == kDefaultWorkspace || RoleIn(who, workspace).has_value();
}

// ---- users ----

absl::StatusOr<User> AuthService::CreateUser(std::string_view username, std::string_view password,
                                             bool is_admin) {
  RETURN_IF_ERROR(CheckNotEmpty(username, "Username"));
  RETURN_IF_ERROR(CheckNotEmpty(password, "Password"));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  ASSIGN_OR_RETURN(store::UserRecord user, store_->CreateAuthUser(S(username), hash, is_admin));
  return ToUser(user);
}

absl::StatusOr<User> AuthService::GetUser(std::string_view username) {
  ASSIGN_OR_RETURN(store::UserRecord user, store_->GetAuthUser(S(username)));
  ASSIGN_OR_RETURN(store::UserGrants grants, store_->ListGrants(user.id));
  User out = ToUser(user);
  for (const auto& g : grants.experiments) {
    out.experiment_permissions.push_back(ToGrant<ExperimentGrant>(g));
  }
  for (const auto& g : grants.registered_models) {
    out.registered_model_permissions.push_back(ToGrant<RegisteredModelGrant>(g));
  }
  return out;
}

absl::StatusOr<std::vector<User>> AuthService::ListUsers() {
  ASSIGN_OR_RETURN(std::vector<store::UserRecord> users, store_->ListAuthUsers());
  std::vector<User> out;
  for (const auto& u : users) out.push_back(ToUser(u));
  return out;
}

absl::Status AuthService::UpdatePassword(std::string_view username, std::string_view password) {
  RETURN_IF_ERROR(CheckNotEmpty(password, "Password"));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  RETURN_IF_ERROR(store_->SetAuthUserPasswordHash(S(username), hash));
  cache_->ForgetUser(username);
  return absl::OkStatus();
}

absl::Status AuthService::UpdateAdmin(std::string_view username, bool is_admin) {
  RETURN_IF_ERROR(store_->SetAuthUserAdmin(S(username), is_admin));
  cache_->ForgetUser(username);
  return absl::OkStatus();
}

absl::Status AuthService::DeleteUser(std::string_view username) {
  RETURN_IF_ERROR(store_->DeleteAuthUser(S(username)));
  cache_->ForgetUser(username);
  cache_->grants.Clear();
  roles_->Forget();
  return absl::OkStatus();
}

// ---- grants ----

absl::StatusOr<ExperimentGrant> AuthService::CreateExperimentGrant(std::string_view experiment_id,
                                                                   std::string_view username,
                                                                   Permission permission) {
  return ClearingGrants(
      cache_->grants, ToGrant<ExperimentGrant>(store_->CreateGrant(kExperiment, S(experiment_id),
                                                                   S(username), Name(permission))));
}

absl::StatusOr<ExperimentGrant> AuthService::GetExperimentGrant(std::string_view experiment_id,
                                                                std::string_view username) {
  return ToGrant<ExperimentGrant>(store_->GetGrant(kExperiment, S(experiment_id), S(username)));
}

absl::Status AuthService::UpdateExperimentGrant(std::string_view experiment_id,
                                                std::string_view username, Permission permission) {
  return ClearingGrants(cache_->grants, store_->UpdateGrant(kExperiment, S(experiment_id),
                                                            S(username), Name(permission)));
}

absl::Status AuthService::DeleteExperimentGrant(std::string_view experiment_id,
                                                std::string_view username) {
  return ClearingGrants(cache_->grants,
                        store_->DeleteGrant(kExperiment, S(experiment_id), S(username)));
}

absl::StatusOr<RegisteredModelGrant> AuthService::CreateRegisteredModelGrant(
    std::string_view name, std::string_view username, Permission permission) {
  return ClearingGrants(cache_->grants, ToGrant<RegisteredModelGrant>(store_->CreateGrant(
                                            kModel, S(name), S(username), Name(permission))));
}

absl::StatusOr<RegisteredModelGrant> AuthService::GetRegisteredModelGrant(
    std::string_view name, std::string_view username) {
  return ToGrant<RegisteredModelGrant>(store_->GetGrant(kModel, S(name), S(username)));
}

absl::Status AuthService::UpdateRegisteredModelGrant(std::string_view name,
                                                     std::string_view username,
                                                     Permission permission) {
  return ClearingGrants(cache_->grants,
                        store_->UpdateGrant(kModel, S(name), S(username), Name(permission)));
}

absl::Status AuthService::DeleteRegisteredModelGrant(std::string_view name,
                                                     std::string_view username) {
  return ClearingGrants(cache_->grants, store_->DeleteGrant(kModel, S(name), S(username)));
}

absl::Status AuthService::RenameRegisteredModelGrants(std::string_view old_name,
                                                      std::string_view new_name) {
  return ClearingGrants(cache_->grants, store_->RenameGrants(kModel, S(old_name), S(new_name)));
}

absl::Status AuthService::DeleteRegisteredModelGrants(std::string_view name) {
  return ClearingGrants(cache_->grants, store_->DeleteGrants(kModel, S(name)));
}

// ---- tokens ----

absl::StatusOr<IssuedToken> AuthService::CreateToken(std::string_view username,
                                                     std::string_view name,
                                                     std::optional<int64_t> expires_ms) {
  return IssueToken(username, name, expires_ms, {}, false);
}

absl::StatusOr<IssuedToken> AuthService::CreateSessionToken(std::string_view username,
                                                            std::string_view name,
                                                            int64_t expires_ms,
                                                            std::vector<std::string> groups,
                                                            bool admin_group) {
  return IssueToken(username, name, expires_ms, std::move(groups), admin_group);
}

absl::StatusOr<IssuedToken> AuthService::IssueToken(std::string_view username,
                                                    std::string_view name,
                                                    std::optional<int64_t> expires_ms,
                                                    std::vector<std::string> groups,
                                                    bool admin_group) {
  const int64_t now = clock_->NowMillis();
  if (expires_ms && *expires_ms <= now) {
    return absl::InvalidArgumentError("A token's expiry must be in the future");
  }
  ASSIGN_OR_RETURN(store::UserRecord user, store_->GetAuthUser(S(username)));
  ASSIGN_OR_RETURN(std::string plaintext, NewTokenPlaintext());
  ASSIGN_OR_RETURN(std::string id, NewTokenId());
  store::TokenRecord record{id,         user.id, S(name), Sha256Hex(plaintext), now,
                            expires_ms, {},      {},      std::move(groups),    admin_group};
  RETURN_IF_ERROR(store_->CreateAccessToken(record));
  return IssuedToken{ToTokenInfo(record), std::move(plaintext)};
}

absl::StatusOr<std::vector<TokenInfo>> AuthService::ListTokens(std::string_view username) {
  ASSIGN_OR_RETURN(store::UserRecord user, store_->GetAuthUser(S(username)));
  ASSIGN_OR_RETURN(std::vector<store::TokenRecord> tokens, store_->ListAccessTokens(user.id));
  std::vector<TokenInfo> out;
  for (const auto& t : tokens) out.push_back(ToTokenInfo(t));
  return out;
}

absl::Status AuthService::RevokeToken(std::string_view token_id) {
  RETURN_IF_ERROR(store_->RevokeAccessToken(S(token_id), clock_->NowMillis()));
  cache_->credentials.EraseIf(
      [&](const std::string&, const VerifiedCredential& v) { return v.token_id == token_id; });
  return absl::OkStatus();
}

// ---- the first admin ----

absl::StatusOr<std::optional<std::string>> AuthService::EnsureAdmin(std::string_view username,
                                                                    std::string_view password) {
  ASSIGN_OR_RETURN(bool has_admin, store_->HasAuthAdmin());
  if (has_admin) return std::nullopt;
  std::string generated;
  if (password.empty()) {
    ASSIGN_OR_RETURN(generated, NewPassword(kGeneratedPasswordLength));
  }
  absl::StatusOr<User> created =
      CreateUser(username, password.empty() ? generated : password, /*is_admin=*/true);
  if (created.ok()) return std::optional<std::string>(std::move(generated));
  if (!absl::IsAlreadyExists(created.status())) return created.status();
  // Another replica created the admin meanwhile, or `username` exists without being an admin:
  // the operator named it the admin, so it becomes one and keeps its password.
  ASSIGN_OR_RETURN(has_admin, store_->HasAuthAdmin());
  if (!has_admin) RETURN_IF_ERROR(UpdateAdmin(username, true));
  return std::nullopt;
}

}  // namespace ferry::auth
