#include "auth/password.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/strings.h"

namespace ferry::auth {
namespace {

// Cheap parameters for tests that do not care about the cost.
constexpr ScryptParams kFast{1024, 8, 1};

TEST(ScryptTest, Rfc7914Vectors) {
  struct {
    const char* password;
    const char* salt;
    ScryptParams params;
    const char* hex;
  } cases[] = {
      {"",
       "",
       {16, 1, 1},
       "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
       "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"},
      {"password",
       "NaCl",
       {1024, 8, 16},
       "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
       "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"},
  };
  for (const auto& c : cases) {
    auto key = Scrypt(c.password, c.salt, c.params, 64);
    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_EQ(HexEncode(*key), c.hex) << c.password;
  }
}

TEST(ScryptTest, RejectsBadParameters) {
  EXPECT_TRUE(absl::IsInvalidArgument(Scrypt("x", "y", {1000, 8, 1}, 64).status()));  // not 2^k
  EXPECT_TRUE(absl::IsInvalidArgument(Scrypt("x", "y", {1024, 0, 1}, 64).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(Scrypt("x", "y", {1 << 22, 8, 1}, 64).status()));  // 4 GiB
}

TEST(PasswordTest, HashThenVerify) {
  auto hash = HashPassword("correct horse", kFast);
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_TRUE(StartsWith(*hash, "scrypt:1024:8:1$")) << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse", *hash));
  EXPECT_FALSE(VerifyPassword("correct horsf", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
}

TEST(PasswordTest, DefaultParametersAreWerkzeugs) {
  auto hash = HashPassword("pw");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_TRUE(StartsWith(*hash, "scrypt:32768:8:1$")) << *hash;
  EXPECT_TRUE(VerifyPassword("pw", *hash));
}

TEST(PasswordTest, SaltsDiffer) {
  auto a = HashPassword("same", kFast);
  auto b = HashPassword("same", kFast);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

// Written by werkzeug.security.generate_password_hash("correct horse"), as MLflow's
// basic-auth store does.
TEST(PasswordTest, VerifiesWerkzeugHashes) {
  constexpr char kWerkzeug[] =
      "scrypt:32768:8:1$V1rxutGHl5LrugSm$a15a79f96ae696e114a44ada58ac3990042a1e5282b49b4bb4cd066"
      "54c03f18313d475810f964ffae543a91a83e43043463beb26051ce4a4935cbe081bfc2a83";
  EXPECT_TRUE(VerifyPassword("correct horse", kWerkzeug));
  EXPECT_FALSE(VerifyPassword("correct horse ", kWerkzeug));
}

TEST(PasswordTest, MalformedHashesNeverVerify) {
  auto good = HashPassword("pw", kFast);
  ASSERT_TRUE(good.ok());
  std::string hex = good->substr(good->rfind('$') + 1);
  const std::vector<std::string> malformed = {
      "",
      "pw",
      "pbkdf2:sha256:600000$salt$" + hex,
      "scrypt:1024:8$salt$" + hex,
      "scrypt:1000:8:1$salt$" + hex,
      "scrypt:1024:8:1$$" + hex,
      "scrypt:1024:8:1$salt$",
      "scrypt:1024:8:1$salt$zz",
      "scrypt:1024:8:1$salt$abc",
      *good + "$extra",
  };
  for (const std::string& bad : malformed) {
    EXPECT_FALSE(VerifyPassword("pw", bad)) << bad;
  }
}

}  // namespace
}  // namespace ferry::auth
