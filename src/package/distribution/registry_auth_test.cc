#include "package/distribution/registry_auth.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "common/fs.h"
#include "common/strings.h"
#include "common/testing/test_dir.h"
#include "package/distribution/registry_credentials.h"

namespace ferry::package {
namespace {

TEST(AuthChallengeTest, ParsesBearerWithQuotedCommas) {
  auto c =
      ParseAuthChallenge(R"(Bearer realm="https://auth.example/token",service="registry.example",)"
                         R"(scope="repository:models/iris:pull,push")");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->scheme, "bearer");
  EXPECT_EQ(c->params["realm"], "https://auth.example/token");
  EXPECT_EQ(c->params["service"], "registry.example");
  EXPECT_EQ(c->params["scope"], "repository:models/iris:pull,push");
}

TEST(AuthChallengeTest, ParsesBasicAndStopsAtTheNextChallenge) {
  auto c = ParseAuthChallenge(R"(Basic realm="Registry Realm", Bearer realm="x")");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->scheme, "basic");
  EXPECT_EQ(c->params.size(), 1u);
  EXPECT_EQ(c->params["realm"], "Registry Realm");
  EXPECT_FALSE(ParseAuthChallenge("").ok());
}

class CredentialsTest : public ::testing::Test {
 protected:
  CredentialsTest() {
    unsetenv("FERRY_REGISTRY_USERNAME");
    unsetenv("FERRY_REGISTRY_PASSWORD");
    setenv("DOCKER_CONFIG", dir_.path().c_str(), 1);
  }
  ~CredentialsTest() override {
    unsetenv("DOCKER_CONFIG");
    unsetenv("FERRY_REGISTRY_USERNAME");
    unsetenv("FERRY_REGISTRY_PASSWORD");
  }
  void WriteConfig(const std::string& json) {
    ASSERT_TRUE(WriteFileAtomic(dir_.path() + "/config.json", json).ok());
  }
  testing::TestDir dir_;
};

TEST_F(CredentialsTest, ReadsDockerLoginEntriesByHost) {
  WriteConfig(R"({"auths": {"https://reg.example:5443/v1/": {"auth": ")" +
              Base64Encode("alice:s3:cret") + R"("}, "other:1": {"auth": "eDp5"}}})");
  auto found = FindRegistryCredentials("reg.example:5443");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->username, "alice");
  EXPECT_EQ(found->password, "s3:cret");  // split at the first colon only
  EXPECT_EQ(found->source, dir_.path() + "/config.json");
  auto none = FindRegistryCredentials("reg.example:5000");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(CredentialsTest, DockerHubLoginServesItsRegistryHost) {
  WriteConfig(R"({"auths": {"https://index.docker.io/v1/": {"auth": ")" + Base64Encode("carol:c") +
              R"("}}})");
  auto found = FindRegistryCredentials("registry-1.docker.io");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->username, "carol");
}

TEST_F(CredentialsTest, EnvironmentWins) {
  WriteConfig(R"({"auths": {"reg:1": {"auth": ")" + Base64Encode("alice:a") + R"("}}})");
  setenv("FERRY_REGISTRY_USERNAME", "bob", 1);
  setenv("FERRY_REGISTRY_PASSWORD", "b", 1);
  auto found = FindRegistryCredentials("reg:1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->username, "bob");
  EXPECT_EQ(found->BasicAuthorization(), "Basic " + Base64Encode("bob:b"));
}

TEST_F(CredentialsTest, MalformedEntryNamesTheFileNotTheSecret) {
  WriteConfig(R"({"auths": {"reg:1": {"auth": "bm9jb2xvbg=="}}})");  // "nocolon"
  auto found = FindRegistryCredentials("reg:1");
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.status().message().find("config.json"), std::string::npos);
  EXPECT_EQ(found.status().message().find("nocolon"), std::string::npos);
  WriteConfig("{not json");
  EXPECT_EQ(FindRegistryCredentials("reg:1").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RegistryAuthTest, BasicChallengeNeedsCredentialsAndReportsARefusal) {
  auto http = net::HttpClient::ForUri("http://127.0.0.1:1");
  ASSERT_TRUE(http.ok());
  net::ClientResponse challenge;
  challenge.status = 401;
  challenge.headers = {{"www-authenticate", R"(Basic realm="r")"}};

  RegistryAuth anonymous("reg:1", {});
  absl::Status none = anonymous.OnChallenge(challenge, "", *http);
  EXPECT_EQ(none.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(none.message().find("FERRY_REGISTRY_USERNAME"), std::string::npos);

  RegistryAuth auth("reg:1", {"alice", "wrong", "FERRY_REGISTRY_USERNAME/PASSWORD"});
  ASSERT_TRUE(auth.OnChallenge(challenge, "", *http).ok());
  EXPECT_EQ(auth.header(), "Basic " + Base64Encode("alice:wrong"));
  absl::Status refused = auth.OnChallenge(challenge, auth.header(), *http);
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("registry reg:1 refused the credentials of user 'alice'"),
            std::string::npos)
      << refused;
  EXPECT_EQ(refused.message().find("wrong"), std::string::npos);
}

}  // namespace
}  // namespace ferry::package
