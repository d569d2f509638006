#pragma once
// Persistence of authentication: users (with their password hashes), their grants on
// experiments and registered models (MLflow's basic-auth tables), and access tokens (their
// SHA-256 only). auth/ builds its service on this interface; backends implement it next to
// MetadataStore, in the same database.
//
// Implementations are safe for concurrent use. Each method is one transaction. Errors use
// canonical codes with MLflow's messages (mlflow/server/auth/sqlalchemy_store.py):
//   kNotFound       "User with username=<u> not found"
//                   "Experiment permission with experiment_id=<e> and username=<u> not found"
//                   "Registered model permission with name=<n> and username=<u> not found"
//                   "Token with id=<id> not found"
//   kAlreadyExists  "User (username=<u>) already exists."
//                   "Experiment permission (experiment_id=<e>, username=<u>) already exists."
//                   "Registered model permission (name=<n>, username=<u>) already exists."
// Permissions are stored as their names ("READ", "EDIT", ...); auth/ validates them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::store {

struct UserRecord {
  int64_t id = 0;  // assigned by the store, never reused
  std::string username;
  std::string password_hash;  // auth/password.h's encoded form
  bool is_admin = false;
};

// The two kinds of resource MLflow grants on.
enum class GrantResource { kExperiment, kRegisteredModel };

struct GrantRecord {
  std::string resource;  // an experiment id or a registered model's name
  int64_t user_id = 0;
  std::string permission;
};

struct UserGrants {
  std::vector<GrantRecord> experiments;        // by experiment id
  std::vector<GrantRecord> registered_models;  // by name
};

// A workspace role (`--enable-workspaces`): a user (by name) or an OIDC group holds `role`
// ("viewer", "editor", "manager", "admin"; auth/ validates them) in `workspace`.
struct WorkspaceMemberRecord {
  std::string workspace;
  std::string kind;  // "user" or "group"
  std::string principal;
  std::string role;
};

struct TokenRecord {
  std::string id;  // public identifier
  int64_t user_id = 0;
  std::string name;
  std::string token_hash;  // lowercase hex SHA-256 of the plaintext
  int64_t created_ms = 0;
  std::optional<int64_t> expires_ms;
  std::optional<int64_t> revoked_ms;
  std::optional<int64_t> last_used_ms;
  // A browser session made by the OIDC sign-in: its id_token's groups claim and whether it
  // was in the admin group. Empty and false for every other token.
  std::vector<std::string> groups;
  bool admin_group = false;
};

class AuthStore {
 public:
  virtual ~AuthStore() = default;

  // ---- users ----
  // Inserts a user; the returned record carries its new id. kAlreadyExists if the name is taken.
  virtual absl::StatusOr<UserRecord> CreateAuthUser(const std::string& username,
                                                    const std::string& password_hash,
                                                    bool is_admin) = 0;
  virtual absl::StatusOr<UserRecord> GetAuthUser(const std::string& username) = 0;
  // kNotFound "User with id=<id> not found".
  virtual absl::StatusOr<UserRecord> GetAuthUserById(int64_t id) = 0;
  // By id (creation order).
  virtual absl::StatusOr<std::vector<UserRecord>> ListAuthUsers() = 0;
  virtual absl::Status SetAuthUserPasswordHash(const std::string& username,
                                               const std::string& password_hash) = 0;
  virtual absl::Status SetAuthUserAdmin(const std::string& username, bool is_admin) = 0;
  // Deletes the user with every grant, token and workspace membership of theirs.
  virtual absl::Status DeleteAuthUser(const std::string& username) = 0;
  // Whether any user is an admin.
  virtual absl::StatusOr<bool> HasAuthAdmin() = 0;

  // ---- grants ----
  // kNotFound for an unknown user; kAlreadyExists if the user has a grant on the resource.
  virtual absl::StatusOr<GrantRecord> CreateGrant(GrantResource kind, const std::string& resource,
                                                  const std::string& username,
                                                  const std::string& permission) = 0;
  // kNotFound for an unknown user or a missing grant.
  virtual absl::StatusOr<GrantRecord> GetGrant(GrantResource kind, const std::string& resource,
                                               const std::string& username) = 0;
  virtual absl::Status UpdateGrant(GrantResource kind, const std::string& resource,
                                   const std::string& username, const std::string& permission) = 0;
  virtual absl::Status DeleteGrant(GrantResource kind, const std::string& resource,
                                   const std::string& username) = 0;
  // Every grant of the user (none for an unknown id), sorted by resource.
  virtual absl::StatusOr<UserGrants> ListGrants(int64_t user_id) = 0;
  // Moves every user's grant on `old_resource` to `new_resource` (a renamed registered model),
  // replacing grants already on `new_resource`. No grants is not an error.
  virtual absl::Status RenameGrants(GrantResource kind, const std::string& old_resource,
                                    const std::string& new_resource) = 0;
  // Deletes every user's grant on `resource`. No grants is not an error.
  virtual absl::Status DeleteGrants(GrantResource kind, const std::string& resource) = 0;

  // ---- workspace members ----
  // The members of `workspace` (every workspace's when empty), by workspace, kind, principal.
  virtual absl::StatusOr<std::vector<WorkspaceMemberRecord>> ListWorkspaceMembers(
      const std::string& workspace) = 0;
  // Creates or replaces the member. kNotFound "Workspace '<w>' not found", or (kind "user")
  // "User with username=<u> not found".
  virtual absl::Status PutWorkspaceMember(const WorkspaceMemberRecord& member) = 0;
  // kNotFound "No <kind> '<principal>' is a member of workspace '<w>'".
  virtual absl::Status DeleteWorkspaceMember(const std::string& workspace, const std::string& kind,
                                             const std::string& principal) = 0;

  // ---- access tokens ----
  // Inserts `token`. kNotFound "User with id=<id> not found" if its user is gone;
  // kAlreadyExists if its id or hash is taken.
  virtual absl::Status CreateAccessToken(const TokenRecord& token) = 0;
  // The token whose hash is `token_hash` (an indexed lookup). kNotFound "Unknown token".
  virtual absl::StatusOr<TokenRecord> GetAccessTokenByHash(const std::string& token_hash) = 0;
  // The user's tokens, revoked and expired ones included, oldest first.
  virtual absl::StatusOr<std::vector<TokenRecord>> ListAccessTokens(int64_t user_id) = 0;
  // Sets revoked_ms unless already revoked (the first revocation time stays).
  virtual absl::Status RevokeAccessToken(const std::string& id, int64_t now_ms) = 0;
  // Records a use. kNotFound as RevokeAccessToken.
  virtual absl::Status TouchAccessToken(const std::string& id, int64_t now_ms) = 0;
};

}  // namespace ferry::store
