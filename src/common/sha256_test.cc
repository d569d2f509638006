#include "common/sha256.h"

#include "gtest/gtest.h"

namespace ferry {
namespace {

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, IncrementalEqualsOneShot) {
  std::string data(100000, 'x');
  Sha256 h;
  for (size_t i = 0; i < data.size(); i += 777) h.Update(data.substr(i, 777));
  EXPECT_EQ(h.FinishHex(), Sha256Hex(data));
}

TEST(SecretsEqualTest, ComparesWholeSecrets) {
  EXPECT_TRUE(SecretsEqual("Bearer abc", "Bearer abc"));
  EXPECT_FALSE(SecretsEqual("Bearer abc", "Bearer abd"));
  EXPECT_FALSE(SecretsEqual("Bearer abc", "Bearer ab"));
  EXPECT_FALSE(SecretsEqual("", "x"));
  EXPECT_TRUE(SecretsEqual("", ""));
}

}  // namespace
}  // namespace ferry
