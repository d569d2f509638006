#include "auth/credentials.h"

#include <gtest/gtest.h>

#include "common/strings.h"

namespace ferry::auth {
namespace {

std::string Basic(std::string_view user_colon_password, std::string_view scheme = "Basic") {
  return std::string(scheme) + " " + Base64Encode(user_colon_password);
}

TEST(CredentialsTest, BasicSplitsAtTheFirstColon) {
  auto c = ParseAuthorization(Basic("alice:pa:ss word"));
  ASSERT_TRUE(c.ok()) << c.status();
  const auto& basic = std::get<BasicCredentials>(*c);
  EXPECT_EQ(basic.username, "alice");
  EXPECT_EQ(basic.password, "pa:ss word");

  c = ParseAuthorization(Basic("bob:"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(std::get<BasicCredentials>(*c).password, "");
}

TEST(CredentialsTest, SchemesAreCaseInsensitiveAndSpacesTolerated) {
  for (std::string header :
       {Basic("a:b", "basic"), Basic("a:b", "BASIC"), "  Basic   " + Base64Encode("a:b") + "  ",
        "Basic\t" + Base64Encode("a:b")}) {
    auto c = ParseAuthorization(header);
    ASSERT_TRUE(c.ok()) << header << ": " << c.status();
    EXPECT_EQ(std::get<BasicCredentials>(*c).username, "a") << header;
  }
  for (std::string header : {"Bearer ferry_x", "bearer ferry_x", "BEARER  ferry_x "}) {
    auto c = ParseAuthorization(header);
    ASSERT_TRUE(c.ok()) << header << ": " << c.status();
    EXPECT_EQ(std::get<BearerCredentials>(*c).token, "ferry_x") << header;
  }
}

TEST(CredentialsTest, UnpaddedBase64IsAccepted) {
  std::string b64 = Base64Encode("ab:c");  // "YWI6Yw=="
  while (b64.back() == '=') b64.pop_back();
  auto c = ParseAuthorization("Basic " + b64);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(std::get<BasicCredentials>(*c).password, "c");
}

TEST(CredentialsTest, Rejections) {
  struct {
    std::string header;
    const char* message;
  } cases[] = {
      {"", "Unsupported authorization scheme"},
      {"Digest username=\"a\"", "Unsupported authorization scheme"},
      {"Basicfoo", "Unsupported authorization scheme"},
      {Base64Encode("a:b"), "Unsupported authorization scheme"},
      {"Basic", "Invalid username or password"},
      {"Basic !!!!", "Invalid username or password"},
      {Basic("no-colon"), "Invalid username or password"},
      {"Bearer", "Unknown token"},
      {"Bearer   ", "Unknown token"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseAuthorization(c.header);
    EXPECT_TRUE(absl::IsUnauthenticated(parsed.status())) << c.header;
    EXPECT_EQ(parsed.status().message(), c.message) << c.header;
  }
}

}  // namespace
}  // namespace ferry::auth
