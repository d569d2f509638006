#pragma once
// Identities and permissions for `ferry server --auth`: who a request's credentials name, and
// what that user may do with an experiment or a registered model (MLflow's basic-auth model:
// a grant per user and resource, else the configured default; admins may do everything).
//
// Thread-safe: the server asks from every event-loop thread. Verified credentials, tokens and
// grants are cached in memory so that an authenticated request costs about what an anonymous
// one does (scrypt runs once per credential, not per request). A change made through this
// object is seen at once; a change made by another replica sharing the store is seen within
// Options::cache_ttl_ms.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/auth_types.h"
#include "auth/workspace_roles.h"
#include "common/status.h"

namespace ferry {
class Clock;
}  // namespace ferry
namespace ferry::store {
class AuthStore;
}  // namespace ferry::store

namespace ferry::auth {

class OidcVerifier;

class AuthService {
 public:
  struct Options {
    // What a user without a grant may do with a resource (MLflow's default_permission).
    Permission default_permission = Permission::kRead;
    // How long a verified credential, a token lookup or a user's grants stay cached.
    int64_t cache_ttl_ms = 30000;
    // With it, a Bearer value shaped like a JWT is verified as an OIDC provider's token and
    // acts as the user it names (provisioned on first sight, see ProvisionOidcUser); membership
    // of the admin group makes that request an admin's. Without it, such a value is an
    // "Unknown token".
    std::shared_ptr<OidcVerifier> oidc;
  };

  // `store` and `clock` outlive the service.
  AuthService(store::AuthStore* store, Clock* clock, Options options);
  ~AuthService();
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  // The value of an Authorization header: "Basic base64(user:password)" or "Bearer TOKEN".
  // kUnauthenticated with the reason ("Invalid username or password", "Token expired",
  // "Token revoked", "Unknown token", "Unsupported authorization scheme", or an OIDC token's:
  // auth/oidc_verifier.h) otherwise. A store failure comes back as itself (e.g. kUnavailable),
  // not as kUnauthenticated; so does a provider whose keys cannot be fetched. A credential not
  // in the cache costs one scrypt verification (Basic), one indexed lookup (Bearer), or a
  // signature check and a user lookup (an OIDC token) on the calling thread.
  absl::StatusOr<Principal> Authenticate(std::string_view authorization);

  // Authenticate() for a caller that remembers the result itself (a keep-alive connection
  // its last Authorization header, so the next request costs a string compare instead of the
  // cache's SHA-256): the principal, how long it may be reused (the cache TTL, or a token's
  // expiry if sooner) and the credential cache's generation, which every invalidation (a
  // revoked token, a changed password, a deleted user) moves on. Reuse only while
  // StillValid().
  struct Remembered {
    Principal principal;
    int64_t valid_until_ms = 0;
    uint64_t generation = 0;
  };
  absl::StatusOr<Remembered> AuthenticateToRemember(std::string_view authorization);
  bool StillValid(const Remembered& r) const;

  // The caller's permission on a resource of `workspace`: admins kManage; else the higher of
  // the role floor the caller holds there (auth/workspace_roles.h) and the user's grant on
  // the resource, or, without a grant, the default: only in `default`, elsewhere nothing.
  Permission ExperimentPermission(const Principal& who, std::string_view experiment_id,
                                  std::string_view workspace = "default");
  Permission RegisteredModelPermission(const Principal& who, std::string_view name,
                                       std::string_view workspace = "default");

  // Roles per workspace. RoleIn: admins kAdmin; else the caller's own or a group's highest
  // role; nullopt for none. CanSeeWorkspace: `default`, admins, and workspaces where the
  // caller holds a role. Cached (see WorkspaceRoles); changes go through roles().
  std::optional<WorkspaceRole> RoleIn(const Principal& who, std::string_view workspace);
  bool CanSeeWorkspace(const Principal& who, std::string_view workspace);
  WorkspaceRoles& roles() { return *roles_; }
  Permission default_permission() const { return options_.default_permission; }

  // Users (MLflow's users/* endpoints). Errors with MLflow's texts
  // (mlflow/server/auth/sqlalchemy_store.py, without the SQL error MLflow appends):
  //   kAlreadyExists "User (username=NAME) already exists."
  //   kNotFound      "User with username=NAME not found"
  //   kInvalidArgument "Username cannot be empty." / "Password cannot be empty."
  // Any non-empty password is accepted, as in MLflow (auth/password.h).
  absl::StatusOr<User> CreateUser(std::string_view username, std::string_view password,
                                  bool is_admin = false);
  absl::StatusOr<User> GetUser(std::string_view username);  // with its grants
  absl::StatusOr<std::vector<User>> ListUsers();            // without grants
  absl::Status UpdatePassword(std::string_view username, std::string_view password);
  absl::Status UpdateAdmin(std::string_view username, bool is_admin);
  absl::Status DeleteUser(std::string_view username);  // and its grants, tokens, memberships

  // Grants (experiments/permissions/* and registered-models/permissions/*). Errors:
  //   kAlreadyExists "Experiment permission (experiment_id=E, username=U) already exists."
  //                  "Registered model permission (name=N, username=U) already exists."
  //   kNotFound      "Experiment permission with experiment_id=E and username=U not found"
  //                  "Registered model permission with name=N and username=U not found"
  //   kNotFound      for an unknown user, as GetUser
  absl::StatusOr<ExperimentGrant> CreateExperimentGrant(std::string_view experiment_id,
                                                        std::string_view username,
                                                        Permission permission);
  absl::StatusOr<ExperimentGrant> GetExperimentGrant(std::string_view experiment_id,
                                                     std::string_view username);
  absl::Status UpdateExperimentGrant(std::string_view experiment_id, std::string_view username,
                                     Permission permission);
  absl::Status DeleteExperimentGrant(std::string_view experiment_id, std::string_view username);
  absl::StatusOr<RegisteredModelGrant> CreateRegisteredModelGrant(std::string_view name,
                                                                  std::string_view username,
                                                                  Permission permission);
  absl::StatusOr<RegisteredModelGrant> GetRegisteredModelGrant(std::string_view name,
                                                               std::string_view username);
  absl::Status UpdateRegisteredModelGrant(std::string_view name, std::string_view username,
                                          Permission permission);
  absl::Status DeleteRegisteredModelGrant(std::string_view name, std::string_view username);
  // Follow a registered model's rename or deletion (every user's grant on it).
  absl::Status RenameRegisteredModelGrants(std::string_view old_name, std::string_view new_name);
  absl::Status DeleteRegisteredModelGrants(std::string_view name);

  // Access tokens, sent as "Authorization: Bearer TOKEN" (MLFLOW_TRACKING_TOKEN). The
  // plaintext is returned once; the store keeps its SHA-256. CreateToken: kNotFound for an
  // unknown user (as GetUser); kInvalidArgument for an `expires_ms` not in the future.
  absl::StatusOr<IssuedToken> CreateToken(std::string_view username, std::string_view name,
                                          std::optional<int64_t> expires_ms);
  // A browser session from the OIDC sign-in (a token as CreateToken's) that keeps what the
  // id_token said: verifying it gives `groups` and, with `admin_group`, an admin, as the
  // id_token itself would as a Bearer JWT. Only the sign-in calls it; the tokens API cannot.
  absl::StatusOr<IssuedToken> CreateSessionToken(std::string_view username, std::string_view name,
                                                 int64_t expires_ms,
                                                 std::vector<std::string> groups, bool admin_group);
  absl::StatusOr<std::vector<TokenInfo>> ListTokens(std::string_view username);
  // kNotFound "Token with id=ID not found". Revoking twice is not an error.
  absl::Status RevokeToken(std::string_view token_id);

  // The first admin, at start-up: creates `username` as an admin with `password` when the
  // store has no admin yet. An empty `password` generates one (24 random characters) and
  // returns it so the caller can print it once; a given `password` is not echoed (the result
  // is then ""). nullopt when an admin already existed, or when `username` already existed
  // without being an admin: it is made the admin and keeps its password.
  absl::StatusOr<std::optional<std::string>> EnsureAdmin(std::string_view username,
                                                         std::string_view password);

 private:
  absl::StatusOr<IssuedToken> IssueToken(std::string_view username, std::string_view name,
                                         std::optional<int64_t> expires_ms,
                                         std::vector<std::string> groups, bool admin_group);

  struct Cache;
  store::AuthStore* store_;
  Clock* clock_;
  Options options_;
  std::unique_ptr<Cache> cache_;
  std::unique_ptr<WorkspaceRoles> roles_;
};

}  // namespace ferry::auth
