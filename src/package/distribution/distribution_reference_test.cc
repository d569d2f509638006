#include "package/distribution/distribution_reference.h"

#include <gtest/gtest.h>

namespace ferry::package {
namespace {

const std::string kHex(64, 'a');

TEST(RegistryReferenceTest, ParsesValidReferences) {
  struct {
    std::string text, registry, repository, tag, digest;
  } cases[] = {
      {"127.0.0.1:5000/models/iris:v1", "127.0.0.1:5000", "models/iris", "v1", ""},
      {"http://127.0.0.1:5000/iris:1.0.0", "127.0.0.1:5000", "iris", "1.0.0", ""},
      {"localhost/a/b/c:latest", "localhost", "a/b/c", "latest", ""},
      {"reg.example.com/ml/fraud-model@sha256:" + kHex, "reg.example.com", "ml/fraud-model", "",
       "sha256:" + kHex},
      {"reg:5000/x__y.z:T_1@sha256:" + kHex, "reg:5000", "x__y.z", "T_1", "sha256:" + kHex},
  };
  for (const auto& c : cases) {
    auto ref = ParseDistributionReference(c.text);
    ASSERT_TRUE(ref.ok()) << c.text << ": " << ref.status();
    EXPECT_EQ(ref->registry, c.registry);
    EXPECT_EQ(ref->repository, c.repository);
    EXPECT_EQ(ref->tag, c.tag);
    EXPECT_EQ(ref->digest, c.digest);
  }
  auto ref = ParseDistributionReference("127.0.0.1:5000/models/iris:v1");
  EXPECT_EQ(ref->BaseUrl(), "http://127.0.0.1:5000");
  EXPECT_EQ(ref->Name(), "127.0.0.1:5000/models/iris");
  EXPECT_EQ(ref->ToString(), "127.0.0.1:5000/models/iris:v1");
  EXPECT_EQ(ref->TagOrDigest(), "v1");
  auto pinned = ParseDistributionReference("127.0.0.1:5000/models/iris:v1@sha256:" + kHex);
  EXPECT_EQ(pinned->TagOrDigest(), "sha256:" + kHex);
}

TEST(RegistryReferenceTest, SchemeIsHttpsExceptForLoopbackOrAnHttpPrefix) {
  struct {
    std::string text, base_url;
  } cases[] = {
      {"reg.example.com/ml/fraud:1", "https://reg.example.com"},
      {"https://reg.example.com:8443/ml/fraud:1", "https://reg.example.com:8443"},
      {"http://reg.example.com/ml/fraud:1", "http://reg.example.com"},
      {"localhost:5000/a:1", "http://localhost:5000"},
      {"127.0.0.2:5000/a:1", "http://127.0.0.2:5000"},
      {"[::1]:5000/a:1", "http://[::1]:5000"},
      {"https://127.0.0.1:5000/a:1", "https://127.0.0.1:5000"},
      {"127.example.com/a:1", "https://127.example.com"},
  };
  for (const auto& c : cases) {
    auto ref = ParseDistributionReference(c.text);
    ASSERT_TRUE(ref.ok()) << c.text << ": " << ref.status();
    EXPECT_EQ(ref->BaseUrl(), c.base_url) << c.text;
    EXPECT_EQ(ref->ToString().find("://"), std::string::npos) << c.text;
  }
}

TEST(RegistryReferenceTest, RejectsWithReason) {
  struct {
    std::string text, want;
  } cases[] = {
      {"iris:v1", "no registry host"},
      {"models/iris:v1", "is not a registry host"},
      {"127.0.0.1:5000/Iris:v1", "invalid repository component 'Iris'"},
      {"127.0.0.1:5000/a//b:v1", "invalid repository component ''"},
      {"127.0.0.1:5000/iris-:v1", "invalid repository component 'iris-'"},
      {"127.0.0.1:5000/iris:-v1", "invalid tag '-v1'"},
      {"127.0.0.1:5000/iris", "no tag or digest"},
      {"127.0.0.1:5000/:v1", "empty repository"},
      {"127.0.0.1:5000/iris@sha256:abc", "digest"},
  };
  for (const auto& c : cases) {
    auto ref = ParseDistributionReference(c.text);
    ASSERT_FALSE(ref.ok()) << c.text;
    EXPECT_NE(std::string(ref.status().message()).find(c.want), std::string::npos)
        << c.text << " -> " << ref.status();
  }
}

}  // namespace
}  // namespace ferry::package
