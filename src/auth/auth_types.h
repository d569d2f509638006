#pragma once
// Who is asking, and the records behind it: users, their grants on experiments and registered
// models (MLflow's basic-auth entities), and access tokens.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/permission.h"

namespace ferry::auth {

// The caller of one request, once authenticated.
struct Principal {
  int64_t user_id = 0;
  std::string username;
  bool is_admin = false;
  // The groups an OIDC token carried (its groups claim); empty for Basic and Ferry's tokens.
  // Workspace roles held by these groups apply to the request (auth/workspace_roles.h).
  std::vector<std::string> groups;
};

struct ExperimentGrant {
  std::string experiment_id;
  int64_t user_id = 0;
  Permission permission = Permission::kNoPermissions;
};

struct RegisteredModelGrant {
  std::string name;
  int64_t user_id = 0;
  Permission permission = Permission::kNoPermissions;
};

// MLflow's User entity: {id, username, is_admin, experiment_permissions,
// registered_model_permissions}. The password hash never leaves the store layer's record.
struct User {
  int64_t id = 0;
  std::string username;
  bool is_admin = false;
  std::vector<ExperimentGrant> experiment_permissions;
  std::vector<RegisteredModelGrant> registered_model_permissions;
};

// A personal or service-account token. Only its SHA-256 is stored; the plaintext is shown
// once, when it is created.
struct TokenInfo {
  std::string id;  // public identifier, for listing and revoking
  int64_t user_id = 0;
  std::string name;
  int64_t created_ms = 0;
  std::optional<int64_t> expires_ms;  // none: never
  std::optional<int64_t> revoked_ms;
  std::optional<int64_t> last_used_ms;
};

struct IssuedToken {
  TokenInfo info;
  std::string plaintext;  // "ferry_" + 43 base64url characters (256 random bits)
};

}  // namespace ferry::auth
