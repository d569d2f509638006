// AuthService over a real SQLite store and a fake clock: authentication (Basic and Bearer) with
// its caches and their invalidation, permissions, MLflow's error texts and the first admin.

#include "auth/auth_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "common/sha256.h"
#include "common/strings.h"
#include "common/testing/fake_clock.h"
#include "common/testing/test_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace ferry::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

constexpr int64_t kTtl = 30000;

std::string Basic(std::string_view user, std::string_view password) {
  return "Basic " + Base64Encode(std::string(user) + ":" + std::string(password));
}

std::string Bearer(std::string_view token) { return "Bearer " + std::string(token); }

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteStore::Create(dir_.path() + "/ferry.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    service_ = MakeService(Permission::kRead);
  }

  std::unique_ptr<AuthService> MakeService(Permission default_permission) {
    AuthService::Options options;
    options.default_permission = default_permission;
    options.cache_ttl_ms = kTtl;
    return std::make_unique<AuthService>(store_.get(), &clock_, options);
  }

  Principal NewUser(const std::string& name, const std::string& password, bool admin = false) {
    auto user = service_->CreateUser(name, password, admin);
    EXPECT_TRUE(user.ok()) << user.status();
    return Principal{user.ok() ? user->id : 0, name, admin, {}};
  }

  // The reason Authenticate gives for `header`, or "ok".
  std::string Outcome(const std::string& header) {
    auto p = service_->Authenticate(header);
    if (p.ok()) return "ok";
    EXPECT_TRUE(absl::IsUnauthenticated(p.status())) << p.status();
    return std::string(p.status().message());
  }

  std::string IssueToken(const std::string& user, std::optional<int64_t> expires_ms = {}) {
    auto token = service_->CreateToken(user, "ci", expires_ms);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? token->plaintext : "";
  }

  ferry::testing::TestDir dir_;
  ferry::testing::FakeClock clock_;
  store::MetadataBackendPtr store_;
  std::unique_ptr<AuthService> service_;
};

TEST_F(AuthServiceTest, BasicGoodBadUnknownAndMalformed) {
  Principal alice = NewUser("alice", "s3cret:with:colons");
  auto p = service_->Authenticate(Basic("alice", "s3cret:with:colons"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->user_id, alice.user_id);
  EXPECT_EQ(p->username, "alice");
  EXPECT_FALSE(p->is_admin);
  EXPECT_EQ(Outcome("basic " + Base64Encode("alice:s3cret:with:colons")), "ok");

  EXPECT_EQ(Outcome(Basic("alice", "wrong")), "Invalid username or password");
  EXPECT_EQ(Outcome(Basic("alice", "")), "Invalid username or password");
  EXPECT_EQ(Outcome(Basic("nobody", "s3cret:with:colons")), "Invalid username or password");
  EXPECT_EQ(Outcome("Basic %%%"), "Invalid username or password");
  EXPECT_EQ(Outcome("Basic " + Base64Encode("alice")), "Invalid username or password");
  EXPECT_EQ(Outcome("Digest x"), "Unsupported authorization scheme");
  EXPECT_EQ(Outcome(""), "Unsupported authorization scheme");
}

TEST_F(AuthServiceTest, VerifiedCredentialsAreCachedForTheTtl) {
  Principal alice = NewUser("alice", "first-password");
  auto first = service_->Authenticate(Basic("alice", "first-password"));
  ASSERT_TRUE(first.ok()) << first.status();

  // A change made behind the service's back (another replica) is not seen while cached...
  ASSERT_TRUE(store_->SetAuthUserPasswordHash("alice", "not-a-hash").ok());
  auto cached = service_->Authenticate(Basic("alice", "first-password"));
  ASSERT_TRUE(cached.ok()) << cached.status();
  EXPECT_EQ(cached->user_id, first->user_id);
  EXPECT_EQ(cached->username, first->username);
  EXPECT_EQ(cached->is_admin, first->is_admin);

  // ...and is once the entry is older than the TTL.
  clock_.AdvanceMillis(kTtl);
  EXPECT_EQ(Outcome(Basic("alice", "first-password")), "Invalid username or password");
}

TEST_F(AuthServiceTest, PasswordChangeInvalidatesTheOldPasswordAtOnce) {
  NewUser("alice", "old-password");
  ASSERT_EQ(Outcome(Basic("alice", "old-password")), "ok");  // now cached
  ASSERT_TRUE(service_->UpdatePassword("alice", "new-password").ok());
  EXPECT_EQ(Outcome(Basic("alice", "old-password")), "Invalid username or password");
  EXPECT_EQ(Outcome(Basic("alice", "new-password")), "ok");
  EXPECT_TRUE(absl::IsNotFound(service_->UpdatePassword("nobody", "x")));
  EXPECT_TRUE(absl::IsInvalidArgument(service_->UpdatePassword("alice", "")));
}

TEST_F(AuthServiceTest, AdminChangeIsSeenAtOnce) {
  NewUser("alice", "password1");
  Principal alice = *service_->Authenticate(Basic("alice", "password1"));
  EXPECT_EQ(service_->ExperimentPermission(alice, "1"), Permission::kRead);
  ASSERT_TRUE(service_->UpdateAdmin("alice", true).ok());
  alice = *service_->Authenticate(Basic("alice", "password1"));
  EXPECT_TRUE(alice.is_admin);
  EXPECT_EQ(service_->ExperimentPermission(alice, "1"), Permission::kManage);
  EXPECT_EQ(service_->RegisteredModelPermission(alice, "m"), Permission::kManage);
  ASSERT_TRUE(service_->UpdateAdmin("alice", false).ok());
  EXPECT_FALSE(service_->Authenticate(Basic("alice", "password1"))->is_admin);
}

TEST_F(AuthServiceTest, BearerTokens) {
  NewUser("alice", "password1");
  auto issued = service_->CreateToken("alice", "ci", std::nullopt);
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_TRUE(StartsWith(issued->plaintext, "ferry_"));
  EXPECT_EQ(issued->plaintext.size(), 49u);
  EXPECT_EQ(issued->info.name, "ci");
  EXPECT_EQ(issued->info.created_ms, clock_.NowMillis());

  auto p = service_->Authenticate(Bearer(issued->plaintext));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->username, "alice");
  // Only the SHA-256 is stored.
  auto record = store_->GetAccessTokenByHash(Sha256Hex(issued->plaintext));
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->id, issued->info.id);
  EXPECT_EQ(record->last_used_ms, clock_.NowMillis());

  EXPECT_EQ(Outcome(Bearer("ferry_" + std::string(43, 'A'))), "Unknown token");
  EXPECT_EQ(Outcome(Bearer("not-a-ferry-token")), "Unknown token");
  EXPECT_EQ(Outcome("Bearer"), "Unknown token");
}

TEST_F(AuthServiceTest, ExpiredTokenFailsEvenWhileCached) {
  NewUser("alice", "password1");
  std::string token = IssueToken("alice", clock_.NowMillis() + 1000);
  ASSERT_EQ(Outcome(Bearer(token)), "ok");  // cached for kTtl, longer than the token lives
  clock_.AdvanceMillis(999);
  EXPECT_EQ(Outcome(Bearer(token)), "ok");
  clock_.AdvanceMillis(1);
  EXPECT_EQ(Outcome(Bearer(token)), "Token expired");
  clock_.AdvanceMillis(kTtl);  // and from the store too
  EXPECT_EQ(Outcome(Bearer(token)), "Token expired");

  auto past = service_->CreateToken("alice", "old", clock_.NowMillis());
  EXPECT_TRUE(absl::IsInvalidArgument(past.status())) << past.status();
}

TEST_F(AuthServiceTest, RevokedTokenFailsAtOnce) {
  NewUser("alice", "password1");
  std::string token = IssueToken("alice");
  ASSERT_EQ(Outcome(Bearer(token)), "ok");
  auto tokens = service_->ListTokens("alice");
  ASSERT_TRUE(tokens.ok() && tokens->size() == 1) << tokens.status();
  ASSERT_TRUE(service_->RevokeToken((*tokens)[0].id).ok());
  EXPECT_EQ(Outcome(Bearer(token)), "Token revoked");
  EXPECT_TRUE(service_->RevokeToken((*tokens)[0].id).ok());  // twice is fine
  EXPECT_TRUE(service_->ListTokens("alice")->at(0).revoked_ms.has_value());

  auto missing = service_->RevokeToken("nope");
  EXPECT_TRUE(absl::IsNotFound(missing));
  EXPECT_EQ(missing.message(), "Token with id=nope not found");
}

TEST_F(AuthServiceTest, TokenRevokedElsewhereIsSeenAfterTheTtl) {
  NewUser("alice", "password1");
  std::string token = IssueToken("alice");
  ASSERT_EQ(Outcome(Bearer(token)), "ok");
  std::string id = service_->ListTokens("alice")->at(0).id;
  ASSERT_TRUE(store_->RevokeAccessToken(id, clock_.NowMillis()).ok());
  EXPECT_EQ(Outcome(Bearer(token)), "ok");
  clock_.AdvanceMillis(kTtl);
  EXPECT_EQ(Outcome(Bearer(token)), "Token revoked");
}

TEST_F(AuthServiceTest, GrantsAndTheDefault) {
  Principal alice = NewUser("alice", "password1");
  EXPECT_EQ(service_->default_permission(), Permission::kRead);
  EXPECT_EQ(service_->ExperimentPermission(alice, "1"), Permission::kRead);
  ASSERT_TRUE(service_->CreateExperimentGrant("1", "alice", Permission::kEdit).ok());
  ASSERT_TRUE(service_->CreateExperimentGrant("2", "alice", Permission::kNoPermissions).ok());
  ASSERT_TRUE(service_->CreateRegisteredModelGrant("m", "alice", Permission::kManage).ok());
  EXPECT_EQ(service_->ExperimentPermission(alice, "1"), Permission::kEdit);
  EXPECT_EQ(service_->ExperimentPermission(alice, "2"), Permission::kNoPermissions);
  EXPECT_EQ(service_->ExperimentPermission(alice, "3"), Permission::kRead);
  EXPECT_EQ(service_->RegisteredModelPermission(alice, "m"), Permission::kManage);
  EXPECT_EQ(service_->RegisteredModelPermission(alice, "1"), Permission::kRead);  // other kind

  ASSERT_TRUE(service_->UpdateExperimentGrant("1", "alice", Permission::kUse).ok());
  EXPECT_EQ(service_->ExperimentPermission(alice, "1"), Permission::kUse);
  ASSERT_TRUE(service_->DeleteExperimentGrant("1", "alice").ok());
  EXPECT_EQ(service_->ExperimentPermission(alice, "1"), Permission::kRead);

  auto strict = MakeService(Permission::kNoPermissions);
  EXPECT_EQ(strict->ExperimentPermission(alice, "3"), Permission::kNoPermissions);
  EXPECT_EQ(strict->ExperimentPermission(alice, "2"), Permission::kNoPermissions);
  EXPECT_EQ(strict->RegisteredModelPermission(alice, "m"), Permission::kManage);
}

TEST_F(AuthServiceTest, GrantsMadeElsewhereAreSeenAfterTheTtl) {
  Principal alice = NewUser("alice", "password1");
  EXPECT_EQ(service_->ExperimentPermission(alice, "1"), Permission::kRead);  // now cached
  ASSERT_TRUE(store_->CreateGrant(store::GrantResource::kExperiment, "1", "alice", "MANAGE").ok());
  EXPECT_EQ(service_->ExperimentPermission(alice, "1"), Permission::kRead);
  clock_.AdvanceMillis(kTtl);
  EXPECT_EQ(service_->ExperimentPermission(alice, "1"), Permission::kManage);
}

TEST_F(AuthServiceTest, ModelGrantsFollowRenameAndDelete) {
  Principal alice = NewUser("alice", "password1");
  ASSERT_TRUE(service_->CreateRegisteredModelGrant("old", "alice", Permission::kEdit).ok());
  ASSERT_TRUE(service_->RenameRegisteredModelGrants("old", "new").ok());
  EXPECT_EQ(service_->RegisteredModelPermission(alice, "new"), Permission::kEdit);
  EXPECT_EQ(service_->RegisteredModelPermission(alice, "old"), Permission::kRead);
  auto grant = service_->GetRegisteredModelGrant("new", "alice");
  ASSERT_TRUE(grant.ok()) << grant.status();
  EXPECT_EQ(grant->permission, Permission::kEdit);
  EXPECT_EQ(grant->user_id, alice.user_id);
  ASSERT_TRUE(service_->UpdateRegisteredModelGrant("new", "alice", Permission::kRead).ok());
  ASSERT_TRUE(service_->DeleteRegisteredModelGrants("new").ok());
  EXPECT_TRUE(absl::IsNotFound(service_->GetRegisteredModelGrant("new", "alice").status()));
  EXPECT_TRUE(absl::IsNotFound(service_->DeleteRegisteredModelGrant("new", "alice")));
}

TEST_F(AuthServiceTest, MlflowErrorTexts) {
  NewUser("alice", "password1");
  ASSERT_TRUE(service_->CreateExperimentGrant("7", "alice", Permission::kRead).ok());
  ASSERT_TRUE(service_->CreateRegisteredModelGrant("m", "alice", Permission::kRead).ok());
  struct {
    absl::Status status;
    absl::StatusCode code;
    const char* message;
  } cases[] = {
      {service_->CreateUser("alice", "x").status(), absl::StatusCode::kAlreadyExists,
       "User (username=alice) already exists."},
      {service_->GetUser("bob").status(), absl::StatusCode::kNotFound,
       "User with username=bob not found"},
      {service_->DeleteUser("bob"), absl::StatusCode::kNotFound,
       "User with username=bob not found"},
      {service_->CreateUser("", "x").status(), absl::StatusCode::kInvalidArgument,
       "Username cannot be empty."},
      {service_->CreateUser("bob", "").status(), absl::StatusCode::kInvalidArgument,
       "Password cannot be empty."},
      {service_->CreateExperimentGrant("7", "alice", Permission::kEdit).status(),
       absl::StatusCode::kAlreadyExists,
       "Experiment permission (experiment_id=7, username=alice) already exists."},
      {service_->CreateRegisteredModelGrant("m", "alice", Permission::kEdit).status(),
       absl::StatusCode::kAlreadyExists,
       "Registered model permission (name=m, username=alice) already exists."},
      {service_->GetExperimentGrant("8", "alice").status(), absl::StatusCode::kNotFound,
       "Experiment permission with experiment_id=8 and username=alice not found"},
      {service_->UpdateRegisteredModelGrant("n", "alice", Permission::kEdit),
       absl::StatusCode::kNotFound,
       "Registered model permission with name=n and username=alice not found"},
      {service_->CreateExperimentGrant("7", "bob", Permission::kRead).status(),
       absl::StatusCode::kNotFound, "User with username=bob not found"},
      {service_->CreateToken("bob", "t", std::nullopt).status(), absl::StatusCode::kNotFound,
       "User with username=bob not found"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_EQ(c.status.message(), c.message);
  }
}

TEST_F(AuthServiceTest, GetAndListUsers) {
  NewUser("alice", "password1");
  NewUser("root", "password2", /*admin=*/true);
  ASSERT_TRUE(service_->CreateExperimentGrant("1", "alice", Permission::kEdit).ok());
  ASSERT_TRUE(service_->CreateRegisteredModelGrant("m", "alice", Permission::kRead).ok());
  auto alice = service_->GetUser("alice");
  ASSERT_TRUE(alice.ok()) << alice.status();
  ASSERT_EQ(alice->experiment_permissions.size(), 1u);
  EXPECT_EQ(alice->experiment_permissions[0].experiment_id, "1");
  EXPECT_EQ(alice->experiment_permissions[0].user_id, alice->id);
  EXPECT_EQ(alice->experiment_permissions[0].permission, Permission::kEdit);
  ASSERT_EQ(alice->registered_model_permissions.size(), 1u);
  EXPECT_EQ(alice->registered_model_permissions[0].name, "m");

  auto all = service_->ListUsers();
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(*all, ElementsAre(Field(&User::username, "alice"), Field(&User::username, "root")));
  EXPECT_TRUE((*all)[1].is_admin);
  EXPECT_TRUE((*all)[0].experiment_permissions.empty());  // without grants
}

TEST_F(AuthServiceTest, DeleteUserRemovesItsGrantsAndTokens) {
  Principal alice = NewUser("alice", "password1");
  ASSERT_TRUE(service_->CreateExperimentGrant("1", "alice", Permission::kManage).ok());
  std::string token = IssueToken("alice");
  ASSERT_EQ(Outcome(Bearer(token)), "ok");
  ASSERT_EQ(Outcome(Basic("alice", "password1")), "ok");
  EXPECT_EQ(service_->ExperimentPermission(alice, "1"), Permission::kManage);

  ASSERT_TRUE(service_->DeleteUser("alice").ok());
  EXPECT_EQ(Outcome(Basic("alice", "password1")), "Invalid username or password");
  EXPECT_EQ(Outcome(Bearer(token)), "Unknown token");
  EXPECT_TRUE(store_->ListGrants(alice.user_id)->experiments.empty());
  EXPECT_TRUE(store_->ListAccessTokens(alice.user_id)->empty());
  EXPECT_EQ(service_->ExperimentPermission(alice, "1"), Permission::kRead);

  NewUser("alice", "password1");
  EXPECT_TRUE(service_->GetUser("alice")->experiment_permissions.empty());
  EXPECT_TRUE(service_->ListTokens("alice")->empty());
}

TEST_F(AuthServiceTest, EnsureAdminGeneratesAPasswordOnce) {
  auto first = service_->EnsureAdmin("admin", "");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->has_value());
  const std::string& password = **first;
  EXPECT_EQ(password.size(), 24u);
  auto admin = service_->Authenticate(Basic("admin", password));
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_TRUE(admin->is_admin);

  auto again = service_->EnsureAdmin("admin", "");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, std::nullopt);
  auto other = service_->EnsureAdmin("someone-else", "password1");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(*other, std::nullopt);
  EXPECT_TRUE(absl::IsNotFound(service_->GetUser("someone-else").status()));
  EXPECT_EQ(Outcome(Basic("admin", password)), "ok");  // unchanged
}

TEST_F(AuthServiceTest, EnsureAdminWithAGivenPassword) {
  auto created = service_->EnsureAdmin("admin", "given-password");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(*created, std::optional<std::string>(""));  // nothing to print
  EXPECT_TRUE(service_->Authenticate(Basic("admin", "given-password"))->is_admin);
}

TEST_F(AuthServiceTest, EnsureAdminPromotesAnExistingUserOfThatName) {
  NewUser("admin", "their-password");
  auto result = service_->EnsureAdmin("admin", "");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, std::nullopt);
  auto admin = service_->Authenticate(Basic("admin", "their-password"));
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_TRUE(admin->is_admin);
}

TEST_F(AuthServiceTest, ConcurrentRequestsAndChanges) {
  Principal alice = NewUser("alice", "password1");
  std::string token = IssueToken("alice");
  const std::string basic = Basic("alice", "password1");
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        service_->CreateExperimentGrant(std::to_string(i), "alice", Permission::kRead).ok());
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (!service_->Authenticate(t % 2 ? basic : Bearer(token)).ok()) ++failures;
        service_->ExperimentPermission(alice, std::to_string(i % 5));
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(
        service_->UpdateExperimentGrant(std::to_string(i % 5), "alice", Permission::kEdit).ok());
    ASSERT_TRUE(service_->UpdateAdmin("alice", i % 2 == 0).ok());
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(service_->UpdateAdmin("alice", true).ok());
  EXPECT_TRUE(service_->Authenticate(basic)->is_admin);
  EXPECT_TRUE(service_->Authenticate(Bearer(token))->is_admin);
  EXPECT_EQ(service_->ExperimentPermission(Principal{alice.user_id, "alice", false, {}}, "4"),
            Permission::kEdit);
}

}  // namespace
}  // namespace ferry::auth
