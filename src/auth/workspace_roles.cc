#include "auth/workspace_roles.h"

#include <algorithm>
#include <map>
#include <utility>

#include "auth/auth_types.h"
#include "auth/ttl_cache.h"
#include "common/clock.h"
#include "store/auth_store.h"

namespace ferry::auth {
namespace {

constexpr std::string_view kRoleNames[] = {"viewer", "editor", "manager", "admin"};

}  // namespace

std::string_view RoleName(WorkspaceRole role) { return kRoleNames[static_cast<int>(role) - 1]; }

std::optional<WorkspaceRole> ParseRole(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kRoleNames[i] == name) return static_cast<WorkspaceRole>(i + 1);
  }
  return std::nullopt;
}

std::string_view MemberKindName(MemberKind kind) {
  return kind == MemberKind::kUser ? "user" : "group";
}

std::optional<MemberKind> ParseMemberKind(std::string_view name) {
  if (name == "user") return MemberKind::kUser;
  if (name == "group") return MemberKind::kGroup;
  return std::nullopt;
}

Permission RoleFloor(std::optional<WorkspaceRole> role) {
  if (!role) return Permission::kNoPermissions;
  switch (*role) {
    case WorkspaceRole::kViewer:
      return Permission::kRead;
    case WorkspaceRole::kEditor:
      return Permission::kEdit;
    case WorkspaceRole::kManager:
    case WorkspaceRole::kAdmin:
      return Permission::kManage;
  }
  return Permission::kNoPermissions;
}

// Every membership: for each principal ("u:NAME" or "g:NAME"), its role per workspace.
struct WorkspaceRoles::Index {
  std::map<std::string, std::map<std::string, WorkspaceRole, std::less<>>, std::less<>> roles;
};

struct WorkspaceRoles::Cache {
  TtlCache<int, std::shared_ptr<const Index>> snapshot{1};
};

namespace {

std::string Key(MemberKind kind, std::string_view name) {
  return (kind == MemberKind::kUser ? "u:" : "g:") + std::string(name);
}

// The role maps of `who` and their groups.
template <typename Index, typename Fn>
void ForEachMembership(const Index& index, const Principal& who, Fn fn) {
  auto visit = [&](MemberKind kind, std::string_view name) {
    auto it = index.roles.find(Key(kind, name));
    if (it != index.roles.end()) fn(it->second);
  };
  visit(MemberKind::kUser, who.username);
  for (const std::string& group : who.groups) visit(MemberKind::kGroup, group);
}

}  // namespace

WorkspaceRoles::WorkspaceRoles(store::AuthStore* store, Clock* clock, int64_t cache_ttl_ms)
    : store_(store), clock_(clock), ttl_ms_(cache_ttl_ms), cache_(std::make_unique<Cache>()) {}

WorkspaceRoles::~WorkspaceRoles() = default;

std::shared_ptr<const WorkspaceRoles::Index> WorkspaceRoles::Snapshot() {
  const int64_t now = clock_->NowMillis();
  if (auto hit = cache_->snapshot.Find(0, now)) return *hit;
  const uint64_t generation = cache_->snapshot.generation();
  absl::StatusOr<std::vector<store::WorkspaceMemberRecord>> records =
      store_->ListWorkspaceMembers("");
  if (!records.ok()) return nullptr;
  auto index = std::make_shared<Index>();
  for (const auto& r : *records) {
    std::optional<MemberKind> kind = ParseMemberKind(r.kind);
    std::optional<WorkspaceRole> role = ParseRole(r.role);
    if (kind && role) index->roles[Key(*kind, r.principal)][r.workspace] = *role;
  }
  cache_->snapshot.Insert(0, index, now + ttl_ms_, generation);
  return index;
}

std::optional<WorkspaceRole> WorkspaceRoles::RoleOf(const Principal& who,
                                                    std::string_view workspace) {
  std::shared_ptr<const Index> index = Snapshot();
  if (!index) return std::nullopt;
  std::optional<WorkspaceRole> best;
  ForEachMembership(*index, who, [&](const auto& by_workspace) {
    auto it = by_workspace.find(workspace);
    if (it != by_workspace.end() && (!best || it->second > *best)) best = it->second;
  });
  return best;
}

std::vector<std::string> WorkspaceRoles::WorkspacesOf(const Principal& who) {
  std::shared_ptr<const Index> index = Snapshot();
  std::vector<std::string> out;
  if (!index) return out;
  ForEachMembership(*index, who, [&](const auto& by_workspace) {
    for (const auto& [workspace, role] : by_workspace) out.push_back(workspace);
  });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

absl::StatusOr<std::vector<WorkspaceMember>> WorkspaceRoles::List(std::string_view workspace) {
  ASSIGN_OR_RETURN(std::vector<store::WorkspaceMemberRecord> records,
                   store_->ListWorkspaceMembers(std::string(workspace)));
  std::vector<WorkspaceMember> out;
  for (const auto& r : records) {
    std::optional<MemberKind> kind = ParseMemberKind(r.kind);
    std::optional<WorkspaceRole> role = ParseRole(r.role);
    if (kind && role) out.push_back(WorkspaceMember{r.principal, *kind, *role});
  }
  return out;
}

absl::Status WorkspaceRoles::Put(std::string_view workspace, const WorkspaceMember& member) {
  absl::Status put = store_->PutWorkspaceMember(
      store::WorkspaceMemberRecord{std::string(workspace), std::string(MemberKindName(member.kind)),
                                   member.principal, std::string(RoleName(member.role))});
  Forget();
  return put;
}

absl::Status WorkspaceRoles::Remove(std::string_view workspace, MemberKind kind,
                                    std::string_view principal) {
  absl::Status removed = store_->DeleteWorkspaceMember(
      std::string(workspace), std::string(MemberKindName(kind)), std::string(principal));
  Forget();
  return removed;
}

void WorkspaceRoles::Forget() { cache_->snapshot.Clear(); }

}  // namespace ferry::auth
