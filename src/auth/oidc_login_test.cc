// The pure parts of the OIDC browser sign-in (auth/oidc_login.h): the PKCE S256 challenge
// (RFC 7636 appendix B), the `next` check, the pending sign-ins (single use, ten minutes), and
// Begin/Finish over a real SQLite store with the provider answering through OidcClient's
// functions (the HTTP side is e2e.ui_oidc_login's, against a test provider).

#include "auth/oidc_login.h"

#include <gtest/gtest.h>

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

// RFC 7636 appendix B's verifier (the base64url of its 32 octets) and challenge.
TEST(PkceTest, MatchesRfc7636AppendixB) {
  EXPECT_EQ(PkceChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(NextPathTest, AcceptsOnlyPathsOfThisServer) {
  for (const char* ok : {"/", "/#/runs", "/#/experiments/1?tab=runs", "/static/x"}) {
    EXPECT_TRUE(IsSafeNextPath(ok)) << ok;
  }
  for (const char* bad : {"", "//evil.example", "/\\evil.example", "\\\\evil", "https://evil",
                          "http:/x", "evil.example", "#/runs", "/a\\b", "/a\nb", "/a\rb"}) {
    EXPECT_FALSE(IsSafeNextPath(bad)) << bad;
  }
}

TEST(OidcLoginStatesTest, EachStateIsTakenOnceWithinItsTtl) {
  ferry::testing::FakeClock clock;
  OidcLoginStates states(&clock, 1000);
  states.Put("s1", {"n1", "v1", "https://f/cb", "/#/a"});
  states.Put("s2", {"n2", "v2", "https://f/cb", "/"});
  auto first = states.Take("s1");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->nonce, "n1");
  EXPECT_EQ(first->next, "/#/a");
  EXPECT_FALSE(states.Take("s1").has_value());  // single use
  EXPECT_FALSE(states.Take("nope").has_value());
  clock.AdvanceMillis(1000);
  EXPECT_FALSE(states.Take("s2").has_value());  // expired
}

TEST(OidcLoginStatesTest, IsBounded) {
  ferry::testing::FakeClock clock;
  OidcLoginStates states(&clock, 1000, 2);
  states.Put("a", {});
  clock.AdvanceMillis(1);
  states.Put("b", {});
  clock.AdvanceMillis(1);
  states.Put("c", {});  // makes room by dropping the oldest
  EXPECT_FALSE(states.Take("a").has_value());
  EXPECT_TRUE(states.Take("b").has_value());
  EXPECT_TRUE(states.Take("c").has_value());
}

constexpr char kIss[] = "https://idp.example";

// The value of `name` in the query of `url`.
std::string QueryValue(const std::string& url, const std::string& name) {
  const size_t at = url.find(name + "=");
  if (at == std::string::npos) return "";
  const size_t start = at + name.size() + 1;
  const size_t end = url.find('&', start);
  return UrlDecode(url.substr(start, end == std::string::npos ? end : end - start), false)
      .value_or("");
}

class OidcLoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteStore::Create(dir_.path() + "/ferry.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    OidcVerifier::Options oidc;
    oidc.expect = {kIss, "ferry-ui", 60000};
    oidc.admin_group = "ferry-admins";
    std::string jwks = Jwks({key_.Jwk("k1")});
    auto verifier = std::make_shared<OidcVerifier>(
        oidc, [jwks] { return absl::StatusOr<std::string>(jwks); }, &clock_);
    OidcClient client;
    client.discover = [] {
      return absl::StatusOr<OidcEndpoints>(
          OidcEndpoints{"https://idp.example/auth?x=1", "https://idp.example/token"});
    };
    // The provider: checks the PKCE verifier against the challenge it saw, answers an
    // id_token with the nonce it saw (or `nonce_override_`).
    client.post_form = [this](
                           const std::string& url,
                           const std::string& form) -> absl::StatusOr<std::pair<int, std::string>> {
      EXPECT_EQ(url, "https://idp.example/token");
      last_form_ = form;
      if (PkceChallengeS256(QueryValue("?" + form, "code_verifier")) != challenge_ ||
          QueryValue("?" + form, "code") != "good-code") {
        return std::make_pair(400, std::string(R"({"error":"invalid_grant"})"));
      }
      const std::string nonce = nonce_override_.empty() ? nonce_ : nonce_override_;
      const std::string jwt =
          MakeJwt(key_, "k1", kIss, "ferry-ui", clock_.NowMillis() / 1000 + 300,
                  StrCat(R"("preferred_username":"erin","groups":["ml-team","ferry-admins"],)",
                         R"("nonce":")", nonce, "\""));
      return std::make_pair(200, StrCat(R"({"id_token":")", jwt, R"(","token_type":"Bearer"})"));
    };
    login_ = std::make_unique<OidcLogin>(OidcLogin::Options{"ferry-ui", "s3cret", "openid", ""},
                                         client, verifier, store_.get(), &clock_);
  }

  // Begins a sign-in and returns its state, remembering what the provider would.
  std::string Begin(const std::string& next = "/#/runs") {
    auto url = login_->Begin(next, "http://ferry.test/api/ferry/v1/auth/oidc/callback");
    EXPECT_TRUE(url.ok()) << url.status();
    if (!url.ok()) return "";
    EXPECT_TRUE(url->starts_with("https://idp.example/auth?x=1&response_type=code&")) << *url;
    EXPECT_EQ(QueryValue(*url, "code_challenge_method"), "S256");
    EXPECT_EQ(QueryValue(*url, "client_id"), "ferry-ui");
    challenge_ = QueryValue(*url, "code_challenge");
    nonce_ = QueryValue(*url, "nonce");
    return QueryValue(*url, "state");
  }

  TestKey key_ = TestKey::Rsa();
  ferry::testing::TestDir dir_;
  ferry::testing::FakeClock clock_;
  store::MetadataBackendPtr store_;
  std::unique_ptr<OidcLogin> login_;
  std::string challenge_, nonce_, nonce_override_, last_form_;
};

TEST_F(OidcLoginTest, SignsInOnceWithTheRightCodeAndNonce) {
  const std::string state = Begin();
  ASSERT_EQ(state.size(), 43u);
  auto who = login_->Finish(state, "good-code");
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->username, "erin");
  // What the session keeps (NewSessionCookie): the id_token's groups and its admin group.
  EXPECT_EQ(who->groups, (std::vector<std::string>{"ml-team", "ferry-admins"}));
  EXPECT_TRUE(who->in_admin_group);
  EXPECT_EQ(who->next, "/#/runs");
  EXPECT_NE(last_form_.find("client_secret=s3cret"), std::string::npos);
  EXPECT_NE(last_form_.find("grant_type=authorization_code"), std::string::npos);
  // The state is spent.
  EXPECT_EQ(login_->Finish(state, "good-code").status().message(),
            "Unknown, expired or already used sign-in state; start the sign-in again");
}

TEST_F(OidcLoginTest, RefusesWhatDoesNotMatch) {
  EXPECT_TRUE(
      absl::IsInvalidArgument(login_->Begin("//evil.example", "http://ferry.test/cb").status()));
  EXPECT_TRUE(absl::IsPermissionDenied(login_->Finish("forged", "good-code").status()));

  auto refused = login_->Finish(Begin(), "bad-code");
  EXPECT_EQ(refused.status().message(), "The provider refused the code: HTTP 400, invalid_grant");

  nonce_override_ = "another-nonce";
  auto wrong_nonce = login_->Finish(Begin(), "good-code");
  EXPECT_EQ(wrong_nonce.status().message(), "The id_token is invalid: wrong nonce");

  const std::string state = Begin();
  clock_.AdvanceMillis(OidcLoginStates::kDefaultTtlMs);
  EXPECT_TRUE(absl::IsPermissionDenied(login_->Finish(state, "good-code").status()));
}

}  // namespace
}  // namespace ferry::auth
