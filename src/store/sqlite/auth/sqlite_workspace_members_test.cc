// Workspace members (migration 9): put, list, delete; what follows a deleted user or
// workspace; and the migration on a database from before it.

#include <filesystem>

#include "store/sqlite/testing/old_database.h"
#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite::testing {
namespace {

using ::testing::HasSubstr;

class SqliteMembersTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    ASSERT_TRUE(store_->CreateWorkspace("team-a", "", 5).ok());
    ASSERT_TRUE(store_->CreateAuthUser("alice", "h", false).ok());
  }
  std::vector<std::string> Members(const std::string& workspace) {
    auto members = store_->ListWorkspaceMembers(workspace);
    EXPECT_TRUE(members.ok()) << members.status();
    std::vector<std::string> out;
    for (const auto& m : members.value_or(std::vector<WorkspaceMemberRecord>{})) {
      out.push_back(m.workspace + ":" + m.kind + ":" + m.principal + ":" + m.role);
    }
    return out;
  }
};

TEST_F(SqliteMembersTest, PutReplacesAndListsSorted) {
  ASSERT_TRUE(store_->PutWorkspaceMember({"team-a", "user", "alice", "viewer"}).ok());
  ASSERT_TRUE(store_->PutWorkspaceMember({"team-a", "group", "ml", "editor"}).ok());
  ASSERT_TRUE(store_->PutWorkspaceMember({"team-a", "user", "alice", "editor"}).ok());
  ASSERT_TRUE(store_->PutWorkspaceMember({"default", "group", "ml", "viewer"}).ok());
  EXPECT_THAT(Members("team-a"),
              ::testing::ElementsAre("team-a:group:ml:editor", "team-a:user:alice:editor"));
  EXPECT_EQ(Members("").size(), 3u);
}

TEST_F(SqliteMembersTest, UnknownUserOrWorkspaceOrMember) {
  absl::Status user = store_->PutWorkspaceMember({"team-a", "user", "nobody", "viewer"});
  EXPECT_TRUE(absl::IsNotFound(user)) << user;
  EXPECT_THAT(std::string(user.message()), HasSubstr("nobody"));
  absl::Status ws = store_->PutWorkspaceMember({"team-z", "group", "ml", "viewer"});
  EXPECT_EQ(ws.message(), "Workspace 'team-z' not found");
  absl::Status gone = store_->DeleteWorkspaceMember("team-a", "user", "alice");
  EXPECT_EQ(gone.message(), "No user 'alice' is a member of workspace 'team-a'");
  EXPECT_FALSE(store_->PutWorkspaceMember({"team-a", "user", "alice", "owner"}).ok());
}

TEST_F(SqliteMembersTest, DeleteMemberUserAndWorkspace) {
  ASSERT_TRUE(store_->PutWorkspaceMember({"team-a", "user", "alice", "viewer"}).ok());
  ASSERT_TRUE(store_->PutWorkspaceMember({"team-a", "group", "alice", "viewer"}).ok());
  ASSERT_TRUE(store_->PutWorkspaceMember({"default", "user", "alice", "editor"}).ok());
  ASSERT_TRUE(store_->DeleteWorkspaceMember("default", "user", "alice").ok());
  ASSERT_TRUE(store_->DeleteAuthUser("alice").ok());
  // The group of the same name is no user: it stays.
  EXPECT_THAT(Members(""), ::testing::ElementsAre("team-a:group:alice:viewer"));
  ASSERT_TRUE(store_->DeleteWorkspace("team-a").ok());
  EXPECT_TRUE(Members("").empty());
}

// A database from migration 8: the members table appears, empty, and the workspaces stay.
TEST_F(SqliteStoreTest, MembersMigrationOnAnOldDatabase) {
  store_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path_ + suffix);
  BuildOldDatabase(db_path_, 8,
                   "INSERT INTO workspaces VALUES ('team-a', 'd', 1);"
                   "INSERT INTO users (username, password_hash) VALUES ('bob', 'h');");
  auto reopened = SqliteStore::Create(db_path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto none = (*reopened)->ListWorkspaceMembers("");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE((*reopened)->PutWorkspaceMember({"team-a", "user", "bob", "manager"}).ok());
  EXPECT_EQ((*reopened)->ListWorkspaceMembers("team-a")->at(0).role, "manager");
}

}  // namespace
}  // namespace ferry::store::sqlite::testing
