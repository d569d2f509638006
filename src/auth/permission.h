#pragma once
// MLflow's permission levels (mlflow/server/auth/permissions.py, with 3.x's USE between READ
// and EDIT), ordered so that a higher level includes every right of a lower one.

#include <optional>
#include <string>
#include <string_view>

namespace ferry::auth {

enum class Permission { kNoPermissions = 0, kRead = 1, kUse = 2, kEdit = 3, kManage = 4 };

// "NO_PERMISSIONS", "READ", "USE", "EDIT", "MANAGE".
std::string_view PermissionName(Permission permission);
// The exact upper-case name, or nullopt.
std::optional<Permission> ParsePermission(std::string_view name);
// MLflow's message for an unknown name: "Invalid permission 'X'. Valid permissions are:
// ('READ', 'USE', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')".
std::string InvalidPermissionMessage(std::string_view name);

inline bool CanRead(Permission p) { return p >= Permission::kRead; }
inline bool CanUse(Permission p) { return p >= Permission::kUse; }
inline bool CanUpdate(Permission p) { return p >= Permission::kEdit; }
inline bool CanDelete(Permission p) { return p >= Permission::kManage; }
inline bool CanManage(Permission p) { return p >= Permission::kManage; }

}  // namespace ferry::auth
