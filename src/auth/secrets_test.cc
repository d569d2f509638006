#include "auth/secrets.h"

#include <gtest/gtest.h>

#include <set>

#include "common/strings.h"

namespace ferry::auth {
namespace {

bool AllIn(std::string_view s, std::string_view alphabet) {
  return s.find_first_not_of(alphabet) == std::string_view::npos;
}

constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

TEST(SecretsTest, Base64UrlHasNoPaddingAndUrlAlphabet) {
  EXPECT_EQ(Base64UrlNoPad(""), "");
  EXPECT_EQ(Base64UrlNoPad("f"), "Zg");
  EXPECT_EQ(Base64UrlNoPad("fo"), "Zm8");
  EXPECT_EQ(Base64UrlNoPad("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlNoPad("\xfb\xff\xbf"), "-_-_");
}

TEST(SecretsTest, Base64UrlDecodeIsStrict) {
  EXPECT_EQ(Base64UrlDecode(""), "");
  EXPECT_EQ(Base64UrlDecode("Zg"), "f");
  EXPECT_EQ(Base64UrlDecode("Zm8"), "fo");
  EXPECT_EQ(Base64UrlDecode("-_-_"), "\xfb\xff\xbf");
  EXPECT_EQ(Base64UrlDecode("Zg=="), std::nullopt);  // padding
  EXPECT_EQ(Base64UrlDecode("+/+/"), std::nullopt);  // the standard alphabet
  EXPECT_EQ(Base64UrlDecode("Zh"), std::nullopt);    // non-zero trailing bits
  EXPECT_EQ(Base64UrlDecode("Z"), std::nullopt);     // a lone sixth of a byte
  EXPECT_EQ(Base64UrlDecode("Zm 8"), std::nullopt);
}

TEST(SecretsTest, TokenPlaintextShape) {
  auto token = NewTokenPlaintext();
  ASSERT_TRUE(token.ok()) << token.status();
  ASSERT_EQ(token->size(), 6u + 43u) << *token;
  EXPECT_TRUE(StartsWith(*token, "ferry_"));
  EXPECT_TRUE(AllIn(token->substr(6), kBase64Url)) << *token;
  EXPECT_NE(*token, *NewTokenPlaintext());
}

TEST(SecretsTest, TokenIdShape) {
  auto id = NewTokenId();
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->size(), 16u);
  EXPECT_TRUE(AllIn(*id, "0123456789abcdef")) << *id;
}

TEST(SecretsTest, GeneratedPasswordsAreAlphanumeric) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto pw = NewPassword(24);
    ASSERT_TRUE(pw.ok()) << pw.status();
    EXPECT_EQ(pw->size(), 24u);
    EXPECT_TRUE(AllIn(*pw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"));
    seen.insert(*pw);
  }
  EXPECT_EQ(seen.size(), 20u);
  EXPECT_EQ(NewPassword(0)->size(), 0u);
}

}  // namespace

}  // namespace ferry::auth
