#include "package/trust/keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "common/fs.h"
#include "common/testing/test_dir.h"

namespace ferry::package {
namespace {

TEST(KeysTest, SignVerifyRoundTrip) {
  auto key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok()) << key.status();
  auto sig = key->Sign("payload");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(key->Public().Verify("payload", *sig).ok());
  absl::Status bad = key->Public().Verify("payloaD", *sig);
  EXPECT_EQ(bad.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(std::string(bad.message()).find(key->Public().KeyId()), std::string::npos);
  EXPECT_FALSE(key->Public().Verify("payload", "garbage").ok());
  EXPECT_EQ(key->Public().KeyId().size(), 64u);
}

TEST(KeysTest, OtherKeyDoesNotVerify) {
  auto a = PrivateKey::Generate();
  auto b = PrivateKey::Generate();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->Public().KeyId(), b->Public().KeyId());
  auto sig = a->Sign("x");
  ASSERT_TRUE(sig.ok());
  EXPECT_FALSE(b->Public().Verify("x", *sig).ok());
}

TEST(KeysTest, PemRoundTripKeepsKeyId) {
  auto key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  std::string pem = key->Pem();
  EXPECT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  auto again = PrivateKey::FromPem(pem, "test");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->Public().KeyId(), key->Public().KeyId());
  std::string pub = key->Public().Pem();
  EXPECT_NE(pub.find("-----BEGIN PUBLIC KEY-----"), std::string::npos);
  auto pk = PublicKey::FromPem(pub, "test");
  ASSERT_TRUE(pk.ok());
  EXPECT_EQ(pk->KeyId(), key->Public().KeyId());
  auto sig = again->Sign("data");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(pk->Verify("data", *sig).ok());
}

TEST(KeysTest, WritePairModesAndNoOverwrite) {
  ferry::testing::TestDir tmp("ferry-keys-test");
  std::string dir = tmp.path();
  auto key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  std::string prefix = dir + "/k";
  ASSERT_TRUE(key->WritePair(prefix).ok());
  struct stat st;
  ASSERT_EQ(stat((prefix + ".key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = PrivateKey::Load(prefix + ".key");
  ASSERT_TRUE(loaded.ok());
  auto pub = PublicKey::Load(prefix + ".pub");
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->KeyId(), key->Public().KeyId());
  EXPECT_EQ(key->WritePair(prefix).code(), absl::StatusCode::kAlreadyExists);
  std::system(("rm -rf " + dir).c_str());
}

TEST(KeysTest, RejectsGarbageAndOtherCurves) {
  EXPECT_EQ(PublicKey::FromPem("hello", "x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PrivateKey::FromPem("hello", "x").status().code(), absl::StatusCode::kInvalidArgument);
  // A P-384 public key (generated with openssl ecparam -name secp384r1).
  constexpr char kP384[] =
      "-----BEGIN PUBLIC KEY-----\n"
      "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEDbycMRV+iUcSKWf5tbl4bZJ0zcxMSGm0\n"
      "k1xXfrUSx07Cu93zvyF5xrTIldB+h+FgnlEFPjNUTVhEHMgfEfnMkOoqlCVUHy32\n"
      "HgqkVOEDw7aNcERIJnNBeBNFvkJfulzD\n"
      "-----END PUBLIC KEY-----\n";
  auto s = PublicKey::FromPem(kP384, "p384.pub").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
}

TEST(KeysTest, MissingFile) {
  EXPECT_EQ(PublicKey::Load("/nonexistent/x.pub").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace ferry::package
