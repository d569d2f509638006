// Roles per workspace through AuthService, over a real SQLite store and a fake clock: a user's
// role and a group's, a grant above the role, no role (hidden, nothing without a grant), the
// `default` workspace's default permission, and the cache: a change made here is seen at once,
// one made by another replica within the TTL.

#include "auth/workspace_roles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/auth_service.h"
#include "common/testing/fake_clock.h"
#include "common/testing/test_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace ferry::auth {
namespace {

constexpr int64_t kTtl = 30000;
using Role = WorkspaceRole;

class WorkspaceRolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteStore::Create(dir_.path() + "/ferry.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->CreateWorkspace("team-a", "", 1).ok());
    ASSERT_TRUE(store_->CreateWorkspace("team-b", "", 1).ok());
    AuthService::Options options;
    options.cache_ttl_ms = kTtl;
    service_ = std::make_unique<AuthService>(store_.get(), &clock_, options);
    alice_ = NewUser("alice");
    bob_ = NewUser("bob");
  }

  Principal NewUser(const std::string& name) {
    auto user = service_->CreateUser(name, "pw");
    EXPECT_TRUE(user.ok()) << user.status();
    return Principal{user.ok() ? user->id : 0, name, false, {}};
  }

  void Put(const std::string& ws, MemberKind kind, const std::string& who, Role role) {
    ASSERT_TRUE(service_->roles().Put(ws, WorkspaceMember{who, kind, role}).ok());
  }

  ferry::testing::TestDir dir_;
  ferry::testing::FakeClock clock_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::unique_ptr<AuthService> service_;
  Principal alice_, bob_;
};

TEST_F(WorkspaceRolesTest, NamesAndFloors) {
  for (Role r : {Role::kViewer, Role::kEditor, Role::kManager, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(ParseRole("owner"), std::nullopt);
  EXPECT_EQ(ParseMemberKind("group"), MemberKind::kGroup);
  EXPECT_EQ(ParseMemberKind("team"), std::nullopt);
  EXPECT_EQ(RoleFloor(std::nullopt), Permission::kNoPermissions);
  EXPECT_EQ(RoleFloor(Role::kViewer), Permission::kRead);
  EXPECT_EQ(RoleFloor(Role::kEditor), Permission::kEdit);
  EXPECT_EQ(RoleFloor(Role::kManager), Permission::kManage);
  EXPECT_EQ(RoleFloor(Role::kAdmin), Permission::kManage);
}

TEST_F(WorkspaceRolesTest, UserRoleIsAFloorInItsWorkspaceOnly) {
  Put("team-a", MemberKind::kUser, "alice", Role::kEditor);
  EXPECT_EQ(service_->RoleIn(alice_, "team-a"), Role::kEditor);
  EXPECT_EQ(service_->ExperimentPermission(alice_, "7", "team-a"), Permission::kEdit);
  EXPECT_EQ(service_->RegisteredModelPermission(alice_, "m", "team-a"), Permission::kEdit);
  // No role in team-b: hidden, and nothing without a grant (no default floor there).
  EXPECT_FALSE(service_->CanSeeWorkspace(alice_, "team-b"));
  EXPECT_EQ(service_->ExperimentPermission(alice_, "8", "team-b"), Permission::kNoPermissions);
  // `default` stays visible and keeps the default permission.
  EXPECT_TRUE(service_->CanSeeWorkspace(bob_, "default"));
  EXPECT_EQ(service_->ExperimentPermission(bob_, "0", "default"), Permission::kRead);
}

TEST_F(WorkspaceRolesTest, GroupRoleAppliesToTokensCarryingTheGroup) {
  Put("team-b", MemberKind::kGroup, "ml-team", Role::kViewer);
  Put("team-b", MemberKind::kUser, "bob", Role::kManager);
  Principal carol{0, "carol", false, {"other", "ml-team"}};
  EXPECT_TRUE(service_->CanSeeWorkspace(carol, "team-b"));
  EXPECT_EQ(service_->ExperimentPermission(carol, "9", "team-b"), Permission::kRead);
  // The same user without the group sees nothing.
  EXPECT_FALSE(service_->CanSeeWorkspace(Principal{0, "carol", false, {}}, "team-b"));
  // The highest of the own role and the groups' counts.
  Principal bob_in_group = bob_;
  bob_in_group.groups = {"ml-team"};
  EXPECT_EQ(service_->RoleIn(bob_in_group, "team-b"), Role::kManager);
}

TEST_F(WorkspaceRolesTest, AGrantAboveTheRoleWinsAndOneBelowDoesNot) {
  Put("team-a", MemberKind::kUser, "alice", Role::kViewer);
  ASSERT_TRUE(service_->CreateExperimentGrant("7", "alice", Permission::kManage).ok());
  ASSERT_TRUE(service_->CreateExperimentGrant("8", "alice", Permission::kNoPermissions).ok());
  EXPECT_EQ(service_->ExperimentPermission(alice_, "7", "team-a"), Permission::kManage);
  EXPECT_EQ(service_->ExperimentPermission(alice_, "8", "team-a"), Permission::kRead);
}

TEST_F(WorkspaceRolesTest, AdminsHoldEveryWorkspace) {
  Principal root{0, "root", true, {}};
  EXPECT_EQ(service_->RoleIn(root, "team-b"), Role::kAdmin);
  EXPECT_TRUE(service_->CanSeeWorkspace(root, "team-b"));
  EXPECT_EQ(service_->ExperimentPermission(root, "1", "team-b"), Permission::kManage);
}

TEST_F(WorkspaceRolesTest, ChangesHereAreSeenAtOnceAndAnotherReplicasWithinTheTtl) {
  Put("team-a", MemberKind::kUser, "alice", Role::kEditor);
  EXPECT_EQ(service_->RoleIn(alice_, "team-a"), Role::kEditor);  // cached now
  Put("team-a", MemberKind::kUser, "alice", Role::kViewer);
  EXPECT_EQ(service_->RoleIn(alice_, "team-a"), Role::kViewer);
  ASSERT_TRUE(service_->roles().Remove("team-a", MemberKind::kUser, "alice").ok());
  EXPECT_FALSE(service_->CanSeeWorkspace(alice_, "team-a"));

  // Another replica (its own service over the same database) adds bob.
  EXPECT_FALSE(service_->CanSeeWorkspace(bob_, "team-b"));
  AuthService replica(store_.get(), &clock_, AuthService::Options{});
  ASSERT_TRUE(
      replica.roles().Put("team-b", WorkspaceMember{"bob", MemberKind::kUser, Role::kViewer}).ok());
  EXPECT_FALSE(service_->CanSeeWorkspace(bob_, "team-b"));  // still the cached snapshot
  clock_.AdvanceMillis(kTtl);
  EXPECT_TRUE(service_->CanSeeWorkspace(bob_, "team-b"));
}

TEST_F(WorkspaceRolesTest, DeletingTheUserRemovesTheirRoles) {
  Put("team-a", MemberKind::kUser, "alice", Role::kAdmin);
  EXPECT_TRUE(service_->CanSeeWorkspace(alice_, "team-a"));
  ASSERT_TRUE(service_->DeleteUser("alice").ok());
  EXPECT_FALSE(service_->CanSeeWorkspace(alice_, "team-a"));
  auto members = service_->roles().List("team-a");
  ASSERT_TRUE(members.ok()) << members.status();
  EXPECT_TRUE(members->empty());
}

TEST_F(WorkspaceRolesTest, ListSortsByKindThenPrincipal) {
  Put("team-a", MemberKind::kUser, "bob", Role::kViewer);
  Put("team-a", MemberKind::kUser, "alice", Role::kEditor);
  Put("team-a", MemberKind::kGroup, "ml-team", Role::kViewer);
  auto members = service_->roles().List("team-a");
  ASSERT_TRUE(members.ok()) << members.status();
  std::vector<std::string> names;
  for (const auto& m : *members) names.push_back(m.principal);
  EXPECT_THAT(names, ::testing::ElementsAre("ml-team", "alice", "bob"));
  absl::Status unknown =
      service_->roles().Put("team-a", WorkspaceMember{"nobody", MemberKind::kUser, Role::kViewer});
  EXPECT_TRUE(absl::IsNotFound(unknown)) << unknown;
}

}  // namespace
}  // namespace ferry::auth
