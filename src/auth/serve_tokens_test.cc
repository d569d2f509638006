#include "auth/serve_tokens.h"

#include <cctype>

#include "common/sha256.h"
#include "gtest/gtest.h"

namespace ferry::auth {
namespace {

constexpr char kInferSecret[] = "infer-secret-0123456789";
constexpr char kAdminSecret[] = "admin-secret-0123456789";

std::string Message(const absl::Status& s) { return std::string(s.message()); }

std::string ToUpperHex(std::string hex) {
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return hex;
}

TEST(ServeTokensTest, ParsesScopesAndBothSecretForms) {
  const std::string text = std::string("# tokens of the demo\n\n") +
                           "admin admin sha256:" + Sha256Hex(kAdminSecret) + "\n" +
                           "client-a infer:a,infer:b " + kInferSecret + "\n" + "  prom\tmetrics  " +
                           "SHA256:" + ToUpperHex(Sha256Hex("prometheus-secret-01")) + "\r\n";
  auto tokens = ParseServeTokens(text);
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_EQ(tokens->size(), 3u);
  EXPECT_EQ((*tokens)[0].name, "admin");
  EXPECT_TRUE((*tokens)[0].admin);
  EXPECT_EQ((*tokens)[1].infer_models, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE((*tokens)[1].infer_all);
  EXPECT_EQ((*tokens)[1].sha256_hex, Sha256Hex(kInferSecret));  // plaintext kept hashed
  EXPECT_TRUE((*tokens)[2].metrics);
  EXPECT_EQ((*tokens)[2].sha256_hex, Sha256Hex("prometheus-secret-01"));
}

TEST(ServeTokensTest, ErrorsNameTheLineAndFieldAndNeverTheSecret) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::string hash = "sha256:" + Sha256Hex(kAdminSecret);
  const Case cases[] = {
      {"a infer", "token file line 1: expected NAME SCOPE[,SCOPE...] SECRET, got 2 fields"},
      {"a infer x y z", "token file line 1: expected NAME SCOPE[,SCOPE...] SECRET, got 5 fields"},
      {"\na/b infer " + hash, "token file line 2: name: expected 1 to 64 of [A-Za-z0-9._-]"},
      {"a inferr " + hash,
       "token file line 1: scope 'inferr': expected infer, infer:MODEL, metrics or admin"},
      {"a infer: " + hash,
       "token file line 1: scope 'infer:': expected infer, infer:MODEL, metrics or admin"},
      {"a infer,,admin " + hash,
       "token file line 1: scope '': expected infer, infer:MODEL, metrics or admin"},
      {"a infer sha256:abc", "token file line 1: secret: expected sha256: and 64 hex digits"},
      {"a infer short-secret",
       "token file line 1: secret: a plaintext token must have 16 to 256 characters (or give "
       "sha256:HEX)"},
      {"a infer " + hash + "\na admin " + kInferSecret,
       "token file line 2: name 'a' is already used"},
      {"a infer " + hash + "\nb admin " + kAdminSecret,
       "token file line 2: secret: the same token is listed twice"},
      {"# only a comment\n", "token file: no tokens"},
  };
  for (const Case& c : cases) {
    auto tokens = ParseServeTokens(c.text);
    ASSERT_FALSE(tokens.ok()) << c.text;
    EXPECT_EQ(Message(tokens.status()), c.message) << c.text;
    EXPECT_EQ(Message(tokens.status()).find("secret-0123456789"), std::string::npos);
  }
}

TEST(ServeTokensTest, ScopesDecideWhatATokenMayDo) {
  auto tokens = ParseServeTokens(std::string("a infer:a ") + kInferSecret + "\n" +
                                 "all infer sha256:" + Sha256Hex("all-secret-0123456789") +
                                 "\nroot admin " + kAdminSecret + "\n");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  const ServeToken& a = (*tokens)[0];
  const ServeToken& all = (*tokens)[1];
  const ServeToken& root = (*tokens)[2];
  EXPECT_TRUE(a.MayInfer("a"));
  EXPECT_FALSE(a.MayInfer("b"));   // scoped to model a
  EXPECT_FALSE(a.MayInfer("A"));   // names are exact
  EXPECT_FALSE(a.MayInfer("a/"));  // no prefix matching
  EXPECT_FALSE(a.MayInfer(""));
  EXPECT_TRUE(a.MayInferAny());
  EXPECT_FALSE(a.MayReadMetrics());
  EXPECT_FALSE(a.admin);
  EXPECT_TRUE(all.MayInfer("b"));
  EXPECT_FALSE(all.MayReadMetrics());
  EXPECT_TRUE(root.MayInfer("b"));
  EXPECT_TRUE(root.MayReadMetrics());
  EXPECT_EQ(a.ScopesText(), "infer:a");
  EXPECT_EQ(root.ScopesText(), "admin");
}

TEST(ServeTokensTest, FindMatchesOnlyTheExactToken) {
  auto parsed = ParseServeTokens(std::string("a infer ") + kInferSecret + "\nroot admin " +
                                 kAdminSecret + "\n");
  ASSERT_TRUE(parsed.ok());
  ServeTokens tokens(*std::move(parsed));
  ASSERT_NE(tokens.Find(kInferSecret), nullptr);
  EXPECT_EQ(tokens.Find(kInferSecret)->name, "a");
  EXPECT_EQ(tokens.Find(kAdminSecret)->name, "root");
  EXPECT_EQ(tokens.Find(""), nullptr);
  EXPECT_EQ(tokens.Find("infer-secret-012345678"), nullptr);    // a prefix
  EXPECT_EQ(tokens.Find("infer-secret-01234567890"), nullptr);  // longer
  EXPECT_EQ(tokens.Find(Sha256Hex(kInferSecret)), nullptr);     // the hash is no token
}

TEST(ServeTokensTest, TokenLineRoundTrips) {
  ServeToken token;
  token.name = "client";
  token.infer_models = {"a"};
  token.metrics = true;
  token.sha256_hex = Sha256Hex(kInferSecret);
  auto parsed = ParseServeTokens(ServeTokenLine(token));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ((*parsed)[0].ScopesText(), "infer:a,metrics");
  EXPECT_EQ((*parsed)[0].sha256_hex, token.sha256_hex);
}

}  // namespace
}  // namespace ferry::auth
