#include "auth/permission.h"

#include <array>
#include <string>
#include <utility>

namespace ferry::auth {
namespace {

constexpr std::array<std::pair<Permission, std::string_view>, 5> kNames = {{
    {Permission::kNoPermissions, "NO_PERMISSIONS"},
    {Permission::kRead, "READ"},
    {Permission::kUse, "USE"},
    {Permission::kEdit, "EDIT"},
    {Permission::kManage, "MANAGE"},
}};

}  // namespace

std::string_view PermissionName(Permission permission) {
  for (const auto& [p, name] : kNames) {
    if (p == permission) return name;
  }
  return "NO_PERMISSIONS";
}

std::optional<Permission> ParsePermission(std::string_view name) {
  for (const auto& [p, known] : kNames) {
    if (known == name) return p;
  }
  return std::nullopt;
}

std::string InvalidPermissionMessage(std::string_view name) {
  // MLflow prints Python's tuple of its permission names, in the dictionary's order.
  return "Invalid permission '" + std::string(name) +
         "'. Valid permissions are: ('READ', 'USE', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')";
}

}  // namespace ferry::auth
