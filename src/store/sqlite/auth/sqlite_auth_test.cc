// SqliteStore's AuthStore: users, grants of both kinds, access tokens (with an OIDC session's
// groups, migration 12), and the cascade when a user is deleted.

#include <filesystem>

#include "store/sqlite/testing/old_database.h"
#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using testing::SqliteStoreTest;

constexpr GrantResource kExp = GrantResource::kExperiment;
constexpr GrantResource kModel = GrantResource::kRegisteredModel;

class SqliteAuthTest : public SqliteStoreTest {
 protected:
  UserRecord NewUser(const std::string& name, bool admin = false) {
    auto user = store_->CreateAuthUser(name, "hash-of-" + name, admin);
    EXPECT_TRUE(user.ok()) << user.status();
    return user.value_or(UserRecord{});
  }
  TokenRecord Token(const std::string& id, int64_t user_id, int64_t created_ms) {
    return TokenRecord{id, user_id, "name-" + id, "sha-" + id, created_ms, {}, {}, {}, {}, false};
  }
};

TEST_F(SqliteAuthTest, UsersAreUniqueAndFoundByNameOrId) {
  UserRecord alice = NewUser("alice");
  UserRecord bob = NewUser("bob", true);
  EXPECT_GT(bob.id, alice.id);

  auto dup = store_->CreateAuthUser("alice", "h", false);
  EXPECT_TRUE(absl::IsAlreadyExists(dup.status()));
  EXPECT_EQ(dup.status().message(), "User (username=alice) already exists.");

  auto got = store_->GetAuthUser("bob");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->id, bob.id);
  EXPECT_EQ(got->password_hash, "hash-of-bob");
  EXPECT_TRUE(got->is_admin);
  EXPECT_EQ(store_->GetAuthUserById(alice.id)->username, "alice");

  auto missing = store_->GetAuthUser("carol");
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_EQ(missing.status().message(), "User with username=carol not found");
  EXPECT_TRUE(absl::IsNotFound(store_->GetAuthUserById(999).status()));

  auto all = store_->ListAuthUsers();
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(*all, ElementsAre(Field(&UserRecord::username, "alice"),
                                Field(&UserRecord::username, "bob")));
}

TEST_F(SqliteAuthTest, PasswordAndAdminUpdates) {
  EXPECT_FALSE(*store_->HasAuthAdmin());
  NewUser("alice");
  EXPECT_FALSE(*store_->HasAuthAdmin());
  ASSERT_TRUE(store_->SetAuthUserAdmin("alice", true).ok());
  EXPECT_TRUE(*store_->HasAuthAdmin());
  ASSERT_TRUE(store_->SetAuthUserPasswordHash("alice", "new").ok());
  EXPECT_EQ(store_->GetAuthUser("alice")->password_hash, "new");
  ASSERT_TRUE(store_->SetAuthUserAdmin("alice", false).ok());
  EXPECT_FALSE(store_->GetAuthUser("alice")->is_admin);

  EXPECT_TRUE(absl::IsNotFound(store_->SetAuthUserPasswordHash("zed", "x")));
  EXPECT_TRUE(absl::IsNotFound(store_->SetAuthUserAdmin("zed", true)));
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteAuthUser("zed")));
}

TEST_F(SqliteAuthTest, GrantsWithMlflowMessages) {
  UserRecord alice = NewUser("alice");
  for (GrantResource kind : {kExp, kModel}) {
    auto created = store_->CreateGrant(kind, "r1", "alice", "READ");
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(created->user_id, alice.id);
    ASSERT_TRUE(store_->UpdateGrant(kind, "r1", "alice", "EDIT").ok());
    EXPECT_EQ(store_->GetGrant(kind, "r1", "alice")->permission, "EDIT");
    EXPECT_TRUE(absl::IsNotFound(store_->GetGrant(kind, "r1", "nobody").status()));
  }
  struct {
    absl::Status status;
    absl::StatusCode code;
    const char* message;
  } cases[] = {
      {store_->CreateGrant(kExp, "r1", "alice", "READ").status(), absl::StatusCode::kAlreadyExists,
       "Experiment permission (experiment_id=r1, username=alice) already exists."},
      {store_->CreateGrant(kModel, "r1", "alice", "READ").status(),
       absl::StatusCode::kAlreadyExists,
       "Registered model permission (name=r1, username=alice) already exists."},
      {store_->GetGrant(kExp, "r2", "alice").status(), absl::StatusCode::kNotFound,
       "Experiment permission with experiment_id=r2 and username=alice not found"},
      {store_->UpdateGrant(kModel, "r2", "alice", "READ"), absl::StatusCode::kNotFound,
       "Registered model permission with name=r2 and username=alice not found"},
      {store_->DeleteGrant(kExp, "r2", "alice"), absl::StatusCode::kNotFound,
       "Experiment permission with experiment_id=r2 and username=alice not found"},
      {store_->CreateGrant(kExp, "r1", "nobody", "READ").status(), absl::StatusCode::kNotFound,
       "User with username=nobody not found"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_EQ(c.status.message(), c.message);
  }
  ASSERT_TRUE(store_->DeleteGrant(kExp, "r1", "alice").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->GetGrant(kExp, "r1", "alice").status()));
  EXPECT_TRUE(store_->GetGrant(kModel, "r1", "alice").ok());  // the other kind is untouched
}

TEST_F(SqliteAuthTest, ListGrantsByKindSorted) {
  UserRecord alice = NewUser("alice");
  NewUser("bob");
  ASSERT_TRUE(store_->CreateGrant(kExp, "7", "alice", "READ").ok());
  ASSERT_TRUE(store_->CreateGrant(kExp, "3", "alice", "MANAGE").ok());
  ASSERT_TRUE(store_->CreateGrant(kModel, "m", "alice", "EDIT").ok());
  ASSERT_TRUE(store_->CreateGrant(kExp, "5", "bob", "READ").ok());
  auto grants = store_->ListGrants(alice.id);
  ASSERT_TRUE(grants.ok()) << grants.status();
  EXPECT_THAT(grants->experiments,
              ElementsAre(Field(&GrantRecord::resource, "3"), Field(&GrantRecord::resource, "7")));
  EXPECT_EQ(grants->experiments[0].permission, "MANAGE");
  ASSERT_EQ(grants->registered_models.size(), 1u);
  EXPECT_EQ(grants->registered_models[0].permission, "EDIT");
  EXPECT_TRUE(store_->ListGrants(999)->experiments.empty());
}

TEST_F(SqliteAuthTest, RenameAndDeleteEveryUsersGrantsOnAModel) {
  NewUser("alice");
  NewUser("bob");
  ASSERT_TRUE(store_->CreateGrant(kModel, "old", "alice", "MANAGE").ok());
  ASSERT_TRUE(store_->CreateGrant(kModel, "old", "bob", "READ").ok());
  ASSERT_TRUE(store_->CreateGrant(kModel, "new", "bob", "EDIT").ok());  // stale
  ASSERT_TRUE(store_->CreateGrant(kExp, "old", "bob", "EDIT").ok());    // other kind

  ASSERT_TRUE(store_->RenameGrants(kModel, "old", "new").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->GetGrant(kModel, "old", "alice").status()));
  EXPECT_EQ(store_->GetGrant(kModel, "new", "alice")->permission, "MANAGE");
  EXPECT_EQ(store_->GetGrant(kModel, "new", "bob")->permission, "READ");
  EXPECT_EQ(store_->GetGrant(kExp, "old", "bob")->permission, "EDIT");

  ASSERT_TRUE(store_->DeleteGrants(kModel, "new").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->GetGrant(kModel, "new", "alice").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetGrant(kModel, "new", "bob").status()));
  EXPECT_TRUE(store_->GetGrant(kExp, "old", "bob").ok());
  EXPECT_TRUE(store_->RenameGrants(kModel, "none", "other").ok());
  EXPECT_TRUE(store_->DeleteGrants(kModel, "none").ok());
}

TEST_F(SqliteAuthTest, TokensByHashListRevokeTouch) {
  UserRecord alice = NewUser("alice");
  TokenRecord t1 = Token("t1", alice.id, 100);
  t1.expires_ms = 5000;
  ASSERT_TRUE(store_->CreateAccessToken(t1).ok());
  ASSERT_TRUE(store_->CreateAccessToken(Token("t2", alice.id, 50)).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(store_->CreateAccessToken(Token("t1", alice.id, 1))));
  EXPECT_TRUE(absl::IsNotFound(store_->CreateAccessToken(Token("t3", 999, 1))));

  auto got = store_->GetAccessTokenByHash("sha-t1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->id, "t1");
  EXPECT_EQ(got->user_id, alice.id);
  EXPECT_EQ(got->name, "name-t1");
  EXPECT_EQ(got->expires_ms, 5000);
  EXPECT_EQ(got->revoked_ms, std::nullopt);
  auto unknown = store_->GetAccessTokenByHash("sha-nope");
  EXPECT_TRUE(absl::IsNotFound(unknown.status()));

  auto list = store_->ListAccessTokens(alice.id);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_THAT(*list, ElementsAre(Field(&TokenRecord::id, "t2"), Field(&TokenRecord::id, "t1")));

  ASSERT_TRUE(store_->RevokeAccessToken("t1", 200).ok());
  ASSERT_TRUE(store_->RevokeAccessToken("t1", 300).ok());  // twice: the first time stays
  ASSERT_TRUE(store_->TouchAccessToken("t1", 250).ok());
  got = store_->GetAccessTokenByHash("sha-t1");
  EXPECT_EQ(got->revoked_ms, 200);
  EXPECT_EQ(got->last_used_ms, 250);
  EXPECT_TRUE(got->groups.empty());
  EXPECT_FALSE(got->admin_group);

  // A session of the OIDC sign-in keeps its groups and admin group.
  TokenRecord session = Token("s1", alice.id, 400);
  session.groups = {"ml-team", "with \"quote\""};
  session.admin_group = true;
  ASSERT_TRUE(store_->CreateAccessToken(session).ok());
  auto kept = store_->GetAccessTokenByHash("sha-s1");
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_THAT(kept->groups, ElementsAre("ml-team", "with \"quote\""));
  EXPECT_TRUE(kept->admin_group);

  auto missing = store_->RevokeAccessToken("nope", 1);
  EXPECT_TRUE(absl::IsNotFound(missing));
  EXPECT_EQ(missing.message(), "Token with id=nope not found");
  EXPECT_TRUE(absl::IsNotFound(store_->TouchAccessToken("nope", 1)));
}

TEST_F(SqliteAuthTest, DeletingAUserDeletesItsGrantsAndTokens) {
  UserRecord alice = NewUser("alice");
  UserRecord bob = NewUser("bob");
  for (const UserRecord& u : {alice, bob}) {
    ASSERT_TRUE(store_->CreateGrant(kExp, "1", u.username, "EDIT").ok());
    ASSERT_TRUE(store_->CreateGrant(kModel, "m", u.username, "EDIT").ok());
    ASSERT_TRUE(store_->CreateAccessToken(Token("tok-" + u.username, u.id, 1)).ok());
  }
  ASSERT_TRUE(store_->DeleteAuthUser("alice").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->GetAuthUser("alice").status()));
  auto grants = store_->ListGrants(alice.id);
  EXPECT_TRUE(grants->experiments.empty());
  EXPECT_TRUE(grants->registered_models.empty());
  EXPECT_TRUE(store_->ListAccessTokens(alice.id)->empty());
  EXPECT_TRUE(absl::IsNotFound(store_->GetAccessTokenByHash("sha-tok-alice").status()));

  // Bob keeps his, and a new alice starts with nothing (ids are not reused).
  EXPECT_EQ(store_->ListGrants(bob.id)->experiments.size(), 1u);
  EXPECT_TRUE(store_->GetAccessTokenByHash("sha-tok-bob").ok());
  UserRecord again = NewUser("alice");
  EXPECT_GT(again.id, bob.id);
  EXPECT_TRUE(store_->ListGrants(again.id)->experiments.empty());
}

TEST_F(SqliteAuthTest, UsersSurviveReopening) {
  NewUser("alice", true);
  store_.reset();
  auto reopened = SqliteStore::Create(db_path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  store_ = std::move(*reopened);
  EXPECT_TRUE(store_->GetAuthUser("alice")->is_admin);
}

// A database from migration 11: its tokens gain no groups and no admin group, and still work.
TEST_F(SqliteAuthTest, TokenGroupsMigrationOnAnOldDatabase) {
  store_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path_ + suffix);
  testing::BuildOldDatabase(
      db_path_, 11,
      "INSERT INTO users (user_id, username, password_hash) VALUES (7, 'bob', 'h');"
      "INSERT INTO access_tokens (token_id, user_id, name, token_hash, created_ms) "
      "VALUES ('old', 7, 'ci', 'sha-old', 5);");
  auto reopened = SqliteStore::Create(db_path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  store_ = std::move(*reopened);
  auto old = store_->GetAccessTokenByHash("sha-old");
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->name, "ci");
  EXPECT_TRUE(old->groups.empty());
  EXPECT_FALSE(old->admin_group);
  TokenRecord session = Token("new", 7, 6);
  session.groups = {"ml-team"};
  ASSERT_TRUE(store_->CreateAccessToken(session).ok());
  EXPECT_THAT(store_->GetAccessTokenByHash("sha-new")->groups, ElementsAre("ml-team"));
}

}  // namespace
}  // namespace ferry::store::sqlite
