#include "http/admission/host_allowlist.h"

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

TEST(HostAllowlistTest, PatternsWithAndWithoutPorts) {
  auto list = HostAllowlist::Parse("mlflow.internal:5000, *.corp.example,192.168.*,[::1]");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_FALSE(list->allows_all());
  EXPECT_TRUE(list->Allows("mlflow.internal:5000"));
  EXPECT_FALSE(list->Allows("mlflow.internal:5001"));
  EXPECT_FALSE(list->Allows("mlflow.internal"));
  EXPECT_TRUE(list->Allows("a.corp.example"));
  EXPECT_TRUE(list->Allows("A.Corp.Example:8443"));  // no port in the pattern: any port
  EXPECT_FALSE(list->Allows("corp.example.evil"));
  EXPECT_TRUE(list->Allows("192.168.1.10:80"));
  EXPECT_TRUE(list->Allows("[::1]:5000"));
  EXPECT_FALSE(list->Allows("[::2]"));
  EXPECT_FALSE(list->Allows(""));
  EXPECT_EQ(list->ToString(), "mlflow.internal:5000,*.corp.example,192.168.*,[::1]");
}

TEST(HostAllowlistTest, StarAllowsAllAndEmptyPatternsAreErrors) {
  auto all = HostAllowlist::Parse("*");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->allows_all());
  EXPECT_TRUE(all->Allows("anything:1"));
  EXPECT_EQ(all->ToString(), "*");
  for (const char* bad : {"", "a,,b", "a,", " "}) {
    auto list = HostAllowlist::Parse(bad);
    EXPECT_FALSE(list.ok()) << bad;
    EXPECT_NE(list.status().message().find("--allowed-hosts"), std::string_view::npos);
  }
  EXPECT_TRUE(HostAllowlist().allows_all());
}

TEST(HostAllowlistTest, DefaultDependsOnTheBoundAddress) {
  for (const char* loopback :
       {"127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackHost(loopback)) << loopback;
    HostAllowlist list = HostAllowlist::DefaultFor(loopback);
    EXPECT_FALSE(list.allows_all()) << loopback;
    EXPECT_TRUE(list.Allows("localhost:5000"));
    EXPECT_TRUE(list.Allows("127.0.0.1"));
    EXPECT_TRUE(list.Allows("[::1]:80"));
    EXPECT_FALSE(list.Allows("evil.example"));
    EXPECT_FALSE(list.Allows("localhost.evil.example"));
  }
  for (const char* other : {"0.0.0.0", "::", "10.0.0.5", "myhost", ""}) {
    EXPECT_FALSE(IsLoopbackHost(other)) << other;
    EXPECT_TRUE(HostAllowlist::DefaultFor(other).allows_all()) << other;
  }
}

TEST(HostAllowlistTest, AddExtendsAList) {
  auto list = HostAllowlist::Parse("mlflow.corp");
  ASSERT_TRUE(list.ok());
  list->Add("10.0.0.5");
  list->Add("");
  EXPECT_TRUE(list->Allows("10.0.0.5:5000"));
  EXPECT_TRUE(list->Allows("mlflow.corp"));
  EXPECT_FALSE(list->Allows("10.0.0.6"));
  EXPECT_EQ(list->ToString(), "mlflow.corp,10.0.0.5");
}

TEST(HostAllowlistTest, GlobHasNoPathologicalBacktracking) {
  auto list = HostAllowlist::Parse("*a*a*a*a*a*a*a*a*b");
  ASSERT_TRUE(list.ok());
  EXPECT_FALSE(list->Allows(std::string(5000, 'a')));
}

}  // namespace
}  // namespace ferry::http
