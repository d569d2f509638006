#pragma once
// Roles per workspace (`ferry server --auth --enable-workspaces`, docs/AUTH.md, Workspaces):
// a user, or an OIDC group the caller's token carries, holds viewer, editor, manager or admin
// in a workspace. A role is a floor under the caller's permission on every experiment and
// registered model of the workspace (viewer READ, editor EDIT, manager and admin MANAGE); an
// admin also manages the workspace's members. A workspace where the caller holds no role is
// hidden from them, except `default`.
//
// WorkspaceRoles answers "which role does this caller hold here" from one snapshot of every
// membership, cached for the TTL and dropped on every change made through it, so a request
// costs a few map lookups, not a query. Thread-safe.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/permission.h"
#include "common/status.h"

namespace ferry {
class Clock;
}  // namespace ferry
namespace ferry::store {
class AuthStore;
}  // namespace ferry::store

namespace ferry::auth {

enum class WorkspaceRole { kViewer = 1, kEditor = 2, kManager = 3, kAdmin = 4 };
enum class MemberKind { kUser, kGroup };

// "viewer", "editor", "manager", "admin"; "user", "group".
std::string_view RoleName(WorkspaceRole role);
std::optional<WorkspaceRole> ParseRole(std::string_view name);
std::string_view MemberKindName(MemberKind kind);
std::optional<MemberKind> ParseMemberKind(std::string_view name);
// The permission a role gives on every resource of its workspace (none: kNoPermissions).
Permission RoleFloor(std::optional<WorkspaceRole> role);

struct WorkspaceMember {
  std::string principal;
  MemberKind kind = MemberKind::kUser;
  WorkspaceRole role = WorkspaceRole::kViewer;
};

struct Principal;

class WorkspaceRoles {
 public:
  // `store` and `clock` outlive this.
  WorkspaceRoles(store::AuthStore* store, Clock* clock, int64_t cache_ttl_ms);
  ~WorkspaceRoles();

  // The highest role `who` holds in `workspace`, through their own membership or a group of
  // theirs; nullopt for none (or when the store cannot be read: deny rather than guess).
  // Not for admins: the caller decides what an admin is.
  std::optional<WorkspaceRole> RoleOf(const Principal& who, std::string_view workspace);
  // The workspaces where `who` holds a role, by name.
  std::vector<std::string> WorkspacesOf(const Principal& who);

  // Sorted by kind (groups first), then principal. Errors as store::AuthStore's.
  absl::StatusOr<std::vector<WorkspaceMember>> List(std::string_view workspace);
  absl::Status Put(std::string_view workspace, const WorkspaceMember& member);
  absl::Status Remove(std::string_view workspace, MemberKind kind, std::string_view principal);
  // Drops the snapshot (a user or workspace went, elsewhere).
  void Forget();

 private:
  struct Index;
  std::shared_ptr<const Index> Snapshot();

  store::AuthStore* store_;
  Clock* clock_;
  const int64_t ttl_ms_;
  struct Cache;
  std::unique_ptr<Cache> cache_;
};

}  // namespace ferry::auth
