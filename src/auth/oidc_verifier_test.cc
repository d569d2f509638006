// OidcVerifier with keys made by OpenSSL in the test, a fake clock and a JWKS fetcher that
// counts its calls: every rejection reason, identities from the claims, key rotation, and the
// limits on fetching.

#include "auth/oidc_verifier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>
#include <vector>

#include "auth/testing/jwt_signer.h"
#include "common/strings.h"
#include "common/testing/fake_clock.h"

namespace ferry::auth {
namespace {

using testing::Jwks;
using testing::MakeJwt;
using testing::SignJwt;
using testing::TestKey;

constexpr char kIss[] = "https://idp.example";
constexpr char kAud[] = "ferry";

class OidcVerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = new TestKey(TestKey::Rsa());
    ec_ = new TestKey(TestKey::P256());
  }

  void SetUp() override {
    jwks_ = Jwks({rsa_->Jwk("r1"), ec_->Jwk("e1")});
    OidcVerifier::Options options;
    options.expect = {kIss, kAud, 60000};
    options.admin_group = "ferry-admins";
    options.refresh_ms = 600000;
    options.min_refetch_ms = 30000;
    verifier_ = std::make_unique<OidcVerifier>(
        options,
        [this]() -> absl::StatusOr<std::string> {
          if (during_fetch_) during_fetch_();
          if (!fetch_error_.ok()) return fetch_error_;
          return jwks_;
        },
        &clock_);
  }

  int64_t NowS() { return clock_.NowMillis() / 1000; }
  std::string Jwt(const TestKey& key, std::string_view kid, std::string_view extra = "",
                  int64_t ttl_s = 300) {
    return MakeJwt(key, kid, kIss, kAud, NowS() + ttl_s, extra);
  }
  // "ok USER admin?" or the error's message.
  std::string Outcome(std::string_view token) {
    auto id = verifier_->Verify(token);
    if (!id.ok()) return std::string(id.status().message());
    return StrCat("ok ", id->username, id->in_admin_group ? " admin" : "");
  }

  static TestKey* rsa_;
  static TestKey* ec_;
  ferry::testing::FakeClock clock_;
  std::string jwks_;
  absl::Status fetch_error_;
  std::function<void()> during_fetch_;
  std::unique_ptr<OidcVerifier> verifier_;
};
TestKey* OidcVerifierTest::rsa_ = nullptr;
TestKey* OidcVerifierTest::ec_ = nullptr;

TEST_F(OidcVerifierTest, AcceptsRs256AndEs256Tokens) {
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("preferred_username":"alice","sub":"123")")), "ok alice");
  EXPECT_EQ(Outcome(Jwt(*ec_, "e1", R"("sub":"bob")")), "ok bob");
  EXPECT_EQ(verifier_->fetch_count(), 1);
}

TEST_F(OidcVerifierTest, AdminGroupFromTheGroupsClaim) {
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"a","groups":["x","ferry-admins"])")), "ok a admin");
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"b","groups":"ferry-admins")")), "ok b admin");
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"c","groups":["ferry-admin"])")), "ok c");
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"d","roles":["ferry-admins"])")), "ok d");
}

TEST_F(OidcVerifierTest, RejectionReasons) {
  const std::string user = R"("sub":"alice")";
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", user, -3600)), "Token expired");
  EXPECT_EQ(Outcome(MakeJwt(*rsa_, "r1", "https://evil.example", kAud, NowS() + 60, user)),
            "Wrong issuer");
  EXPECT_EQ(Outcome(MakeJwt(*rsa_, "r1", kIss, "other", NowS() + 60, user)), "Wrong audience");
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", StrCat(user, R"(,"nbf":)", NowS() + 600))),
            "Token not yet valid");
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("name":"no user claim")")), "Token names no user");
  EXPECT_EQ(Outcome(Jwt(*rsa_, "e1", user)), "Bad signature");  // the EC key's kid
  EXPECT_EQ(Outcome(Jwt(*rsa_, "nope", user)), "Unknown key id nope");
  EXPECT_EQ(Outcome(SignJwt(*rsa_, R"({"alg":"RS256"})", StrCat(R"({"iss":")", kIss, "\"}"))),
            "Unknown key id (none)");  // two keys: a kid is needed
  EXPECT_EQ(Outcome(SignJwt(*rsa_, R"({"alg":"RS384","kid":"r1"})", "{}")),
            "Unsupported algorithm RS384");
  EXPECT_EQ(Outcome(SignJwt(*rsa_, R"({"alg":"HS256","kid":"r1"})", "{}")),
            "Unsupported algorithm HS256");
}

TEST_F(OidcVerifierTest, TamperedAndUnsignedTokensFail) {
  const std::string good = Jwt(*rsa_, "r1", R"("sub":"alice")");
  const size_t dot1 = good.find('.'), dot2 = good.rfind('.');
  // Other claims under the original signature.
  const std::string forged = MakeJwt(*rsa_, "r1", kIss, kAud, NowS() + 60, R"("sub":"admin")");
  const std::string swapped =
      good.substr(0, dot1) + forged.substr(forged.find('.'), forged.rfind('.') - forged.find('.')) +
      good.substr(dot2);
  EXPECT_EQ(Outcome(swapped), "Bad signature");
  std::string flipped = good;
  flipped[dot2 + 5] = flipped[dot2 + 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Outcome(flipped), "Bad signature");
  // alg "none" with the same claims and no signature.
  EXPECT_EQ(Outcome("eyJhbGciOiJub25lIn0" + good.substr(dot1, dot2 - dot1) + "."),
            "Unsupported algorithm none");
  EXPECT_EQ(Outcome(good), "ok alice");
}

TEST_F(OidcVerifierTest, UsernameClaimIsConfigurable) {
  OidcVerifier::Options options;
  options.expect = {kIss, kAud, 60000};
  options.username_claim = "email";
  OidcVerifier by_email(
      options, [this] { return absl::StatusOr<std::string>(jwks_); }, &clock_);
  auto id = by_email.Verify(Jwt(*ec_, "e1", R"("email":"a@x.org","sub":"1")"));
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->username, "a@x.org");
  EXPECT_FALSE(id->in_admin_group);
  id = by_email.Verify(Jwt(*ec_, "e1", R"("preferred_username":"p","sub":"1")"));
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->username, "1");
}

TEST_F(OidcVerifierTest, VerifiedTokensAreCachedUntilTheyExpire) {
  const std::string token = Jwt(*rsa_, "r1", R"("sub":"alice")", 120);
  EXPECT_EQ(Outcome(token), "ok alice");
  jwks_ = Jwks({});  // the keys are gone, but the verified token stays verified
  EXPECT_EQ(Outcome(token), "ok alice");
  clock_.AdvanceMillis(179999);  // exp + leeway - 1 ms
  EXPECT_EQ(Outcome(token), "ok alice");
  clock_.AdvanceMillis(1);
  jwks_ = Jwks({rsa_->Jwk("r1")});
  EXPECT_EQ(Outcome(token), "Token expired");
}

TEST_F(OidcVerifierTest, UnknownKidRefetchesOnceAndIsRateLimited) {
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"a")")), "ok a");
  EXPECT_EQ(verifier_->fetch_count(), 1);
  // The provider rotates: a new key appears. Too soon after the first fetch, it is unknown.
  TestKey rotated = TestKey::P256();
  jwks_ = Jwks({rsa_->Jwk("r1"), rotated.Jwk("e2")});
  const std::string token = Jwt(rotated, "e2", R"("sub":"b")", 3600);
  EXPECT_EQ(Outcome(token), "Unknown key id e2");
  EXPECT_EQ(verifier_->fetch_count(), 1);
  clock_.AdvanceMillis(30000);
  EXPECT_EQ(Outcome(token), "ok b");
  EXPECT_EQ(verifier_->fetch_count(), 2);
  // Random kids fetch at most once per interval.
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(Outcome(Jwt(rotated, StrCat("random", i), R"("sub":"c")")),
              StrCat("Unknown key id random", i));
    clock_.AdvanceMillis(1000);
  }
  EXPECT_EQ(verifier_->fetch_count(), 3);  // once, 30 s after the second fetch
}

TEST_F(OidcVerifierTest, RefreshesStaleKeys) {
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"a")")), "ok a");
  clock_.AdvanceMillis(600000);
  jwks_ = Jwks({ec_->Jwk("e1")});  // r1 withdrawn
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"b")")), "Unknown key id r1");
  EXPECT_EQ(verifier_->fetch_count(), 2);
}

TEST_F(OidcVerifierTest, ConcurrentRequestsFetchOnce) {
  std::vector<std::string> tokens;
  for (int i = 0; i < 8; ++i)
    tokens.push_back(
        Jwt(i % 2 ? *ec_ : *rsa_, i % 2 ? "e1" : "r1", StrCat(R"("sub":"u)", i, "\"")));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (const std::string& token : tokens) {
    threads.emplace_back([&, token] {
      for (int round = 0; round < 20; ++round) ok += verifier_->Verify(token).ok() ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8 * 20);
  EXPECT_EQ(verifier_->fetch_count(), 1);
}

TEST_F(OidcVerifierTest, ARefreshDoesNotHoldUpOtherRequests) {
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"a")")), "ok a");
  clock_.AdvanceMillis(600000);  // the keys are due for a refresh
  std::atomic<bool> fetching{false}, release{false};
  during_fetch_ = [&] {
    fetching = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  std::thread refresher([&] { EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"b")")), "ok b"); });
  while (!fetching) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(Outcome(Jwt(*ec_, "e1", R"("sub":"c")")), "ok c");  // not waiting for the fetch
  release = true;
  refresher.join();
  EXPECT_EQ(verifier_->fetch_count(), 2);
}

TEST_F(OidcVerifierTest, FetchFailures) {
  fetch_error_ = absl::UnavailableError("connection refused");
  auto id = verifier_->Verify(Jwt(*rsa_, "r1", R"("sub":"a")"));
  ASSERT_TRUE(absl::IsUnavailable(id.status())) << id.status();
  EXPECT_EQ(id.status().message(), "Cannot fetch the OIDC provider's keys: connection refused");
  // Not retried at once.
  EXPECT_TRUE(absl::IsUnavailable(verifier_->Verify(Jwt(*rsa_, "r1", R"("sub":"b")")).status()));
  EXPECT_EQ(verifier_->fetch_count(), 1);
  fetch_error_ = absl::OkStatus();
  clock_.AdvanceMillis(30000);
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"c")")), "ok c");
  // A failed refresh keeps the keys known; so does a JWKS that does not parse.
  clock_.AdvanceMillis(600000);
  fetch_error_ = absl::UnavailableError("down");
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"d")")), "ok d");
  clock_.AdvanceMillis(30000);
  fetch_error_ = absl::OkStatus();
  jwks_ = "not json";
  EXPECT_EQ(Outcome(Jwt(*rsa_, "r1", R"("sub":"e")")), "ok e");
  EXPECT_EQ(verifier_->fetch_count(), 4);
}

}  // namespace
}  // namespace ferry::auth
