// AuthService with an OidcVerifier over a real SQLite store: a provider's JWT acts as the user
// it names, provisioned on first sight without a password; the admin group makes an admin for
// the request only; a token cannot act as a user who has a password. A browser session made
// by the OIDC sign-in keeps its id_token's groups and admin group; other tokens have none.

#include <gtest/gtest.h>

#include <cstdio>
#include <thread>
#include <vector>

#include "auth/auth_service.h"
#include "auth/oidc_verifier.h"
#include "auth/testing/jwt_signer.h"
#include "common/strings.h"
#include "common/testing/fake_clock.h"
#include "common/testing/test_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace ferry::auth {
namespace {

using testing::Jwks;
using testing::MakeJwt;
using testing::TestKey;

constexpr char kIss[] = "https://idp.example";

class OidcAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteStore::Create(dir_.path() + "/ferry.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    OidcVerifier::Options oidc;
    oidc.expect = {kIss, "ferry", 60000};
    oidc.admin_group = "ferry-admins";
    std::string jwks = Jwks({key_.Jwk("k1")});
    AuthService::Options options;
    options.oidc = std::make_shared<OidcVerifier>(
        oidc, [jwks] { return absl::StatusOr<std::string>(jwks); }, &clock_);
    service_ = std::make_unique<AuthService>(store_.get(), &clock_, options);
  }

  std::string Bearer(std::string_view extra, int64_t ttl_s = 300) {
    return "Bearer " + MakeJwt(key_, "k1", kIss, "ferry", clock_.NowMillis() / 1000 + ttl_s, extra);
  }

  TestKey key_ = TestKey::P256();
  ferry::testing::TestDir dir_;
  ferry::testing::FakeClock clock_;
  store::MetadataBackendPtr store_;
  std::unique_ptr<AuthService> service_;
};

TEST_F(OidcAuthTest, ProvisionsTheUserOnFirstSight) {
  auto who = service_->Authenticate(Bearer(R"("preferred_username":"carol")"));
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->username, "carol");
  EXPECT_FALSE(who->is_admin);
  auto user = service_->GetUser("carol");
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->id, who->user_id);
  // Once more, with another token: the same user.
  auto again = service_->Authenticate(Bearer(R"("preferred_username":"carol","x":1)"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->user_id, who->user_id);
  // Grants work as for any user.
  ASSERT_TRUE(service_->CreateExperimentGrant("7", "carol", Permission::kEdit).ok());
  EXPECT_EQ(service_->ExperimentPermission(*who, "7"), Permission::kEdit);
  // No password signs in as them.
  for (const char* password : {"", "!oidc", "x"}) {
    auto basic = service_->Authenticate("Basic " + Base64Encode(StrCat("carol:", password)));
    EXPECT_EQ(basic.status().message(), "Invalid username or password") << password;
  }
}

TEST_F(OidcAuthTest, AdminGroupIsPerTokenAndNotStored) {
  auto admin = service_->Authenticate(Bearer(R"("sub":"dana","groups":["ferry-admins"])"));
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_TRUE(admin->is_admin);
  EXPECT_FALSE(service_->GetUser("dana")->is_admin);
  auto plain = service_->Authenticate(Bearer(R"("sub":"dana","groups":[])"));
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FALSE(plain->is_admin);
  // An admin made in Ferry stays one whatever the token's groups.
  ASSERT_TRUE(service_->UpdateAdmin("dana", true).ok());
  EXPECT_TRUE(service_->Authenticate(Bearer(R"("sub":"dana","groups":[])"))->is_admin);
}

TEST_F(OidcAuthTest, TokensCannotActAsPasswordUsers) {
  ASSERT_TRUE(service_->CreateUser("admin", "secret", true).ok());
  auto who = service_->Authenticate(Bearer(R"("sub":"admin","groups":["ferry-admins"])"));
  ASSERT_TRUE(absl::IsUnauthenticated(who.status())) << who.status();
  EXPECT_EQ(who.status().message(),
            "User admin has a password; tokens of the OIDC provider cannot act as them");
  EXPECT_TRUE(service_->Authenticate("Basic " + Base64Encode("admin:secret")).ok());
}

TEST_F(OidcAuthTest, ConcurrentFirstRequestsProvisionOneUser) {
  std::vector<std::string> headers;
  for (int i = 0; i < 8; ++i) headers.push_back(Bearer(StrCat(R"("sub":"hana","n":)", i)));
  std::vector<int64_t> ids(headers.size(), -1);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < headers.size(); ++i) {
    threads.emplace_back([&, i] {
      auto who = service_->Authenticate(headers[i]);
      ids[i] = who.ok() ? who->user_id : 0;
      if (!who.ok()) std::fprintf(stderr, "%s\n", who.status().ToString().c_str());
    });
  }
  for (auto& t : threads) t.join();
  for (int64_t id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_GT(ids[0], 0);
  EXPECT_EQ(service_->ListUsers()->size(), 1u);
}

TEST_F(OidcAuthTest, CachedTokensStillExpire) {
  const std::string header = Bearer(R"("sub":"erin")", 10);
  ASSERT_TRUE(service_->Authenticate(header).ok());
  clock_.AdvanceMillis(69999);  // within exp + the leeway
  ASSERT_TRUE(service_->Authenticate(header).ok());
  clock_.AdvanceMillis(1);
  EXPECT_EQ(service_->Authenticate(header).status().message(), "Token expired");
}

TEST_F(OidcAuthTest, RejectionsAndOtherTokens) {
  EXPECT_EQ(service_->Authenticate(Bearer(R"("sub":"f")", -600)).status().message(),
            "Token expired");
  EXPECT_EQ(service_->Authenticate("Bearer a.b.c").status().message(),
            "Malformed token: the header is not base64url");
  EXPECT_EQ(service_->Authenticate("Bearer e30.e30.c2ln").status().message(),
            "Malformed token: no \"alg\"");
  EXPECT_EQ(service_->Authenticate("Bearer ferry_nope").status().message(), "Unknown token");
  // Ferry's own tokens still work beside the provider's.
  auto user = service_->Authenticate(Bearer(R"("sub":"gus")"));
  ASSERT_TRUE(user.ok());
  auto token = service_->CreateToken("gus", "ci", std::nullopt);
  ASSERT_TRUE(token.ok()) << token.status();
  auto by_token = service_->Authenticate("Bearer " + token->plaintext);
  ASSERT_TRUE(by_token.ok()) << by_token.status();
  EXPECT_EQ(by_token->username, "gus");
}

// What the sign-in does (OidcLogin::Finish, then NewSessionCookie): verify the id_token, then
// make a session from its identity.
TEST_F(OidcAuthTest, SessionFromTheSignInKeepsGroupsAndAdminGroup) {
  OidcVerifier::Options oidc;
  oidc.expect = {kIss, "ferry", 60000};
  oidc.admin_group = "ferry-admins";
  std::string jwks = Jwks({key_.Jwk("k1")});
  OidcVerifier verifier(
      oidc, [jwks] { return absl::StatusOr<std::string>(jwks); }, &clock_);
  const int64_t expires = clock_.NowMillis() + 3600000;
  auto Session = [&](std::string_view claims) -> std::string {
    std::string jwt = MakeJwt(key_, "k1", kIss, "ferry", clock_.NowMillis() / 1000 + 300, claims);
    absl::StatusOr<OidcIdentity> identity = verifier.Verify(jwt);
    EXPECT_TRUE(identity.ok()) << identity.status();
    EXPECT_TRUE(service_->Authenticate("Bearer " + jwt).ok());  // provisions the user
    auto issued = service_->CreateSessionToken(identity->username, "browser session", expires,
                                               identity->groups, identity->in_admin_group);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return "Bearer " + issued->plaintext;
  };

  const std::string ml = Session(R"("sub":"ivy","groups":["ml-team","data"])");
  auto who = service_->Authenticate(ml);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->username, "ivy");
  EXPECT_EQ(who->groups, (std::vector<std::string>{"ml-team", "data"}));
  EXPECT_FALSE(who->is_admin);
  EXPECT_EQ(service_->Authenticate(ml)->groups, who->groups);  // from the cache, the same

  const std::string admin = Session(R"("sub":"jo","groups":["ferry-admins"])");
  EXPECT_TRUE(service_->Authenticate(admin)->is_admin);
  EXPECT_FALSE(service_->GetUser("jo")->is_admin);  // the session's, not the user's

  // A token made through the tokens API (CreateToken) carries no groups, and no admin group.
  auto api = service_->CreateToken("jo", "ci", std::nullopt);
  ASSERT_TRUE(api.ok()) << api.status();
  auto by_api = service_->Authenticate("Bearer " + api->plaintext);
  ASSERT_TRUE(by_api.ok()) << by_api.status();
  EXPECT_TRUE(by_api->groups.empty());
  EXPECT_FALSE(by_api->is_admin);

  // Logging out (revoking the session) ends it, cached or not.
  auto tokens = service_->ListTokens("jo");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_TRUE(service_->RevokeToken(tokens->front().id).ok());
  EXPECT_EQ(service_->Authenticate(admin).status().message(), "Token revoked");
}

TEST(OidcOffTest, JwtsAreUnknownTokensWithoutAProvider) {
  ferry::testing::TestDir dir;
  ferry::testing::FakeClock clock;
  auto store = store::sqlite::SqliteStore::Create(dir.path() + "/ferry.db");
  ASSERT_TRUE(store.ok()) << store.status();
  AuthService service(store->get(), &clock, {});
  TestKey key = TestKey::P256();
  auto who = service.Authenticate("Bearer " + MakeJwt(key, "k1", kIss, "ferry", 2000000000));
  EXPECT_EQ(who.status().message(), "Unknown token");
}

}  // namespace
}  // namespace ferry::auth
