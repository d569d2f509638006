// JWKS parsing (RSA from n/e, P-256 from x/y, what is skipped and refused) and signature checks
// with keys made by OpenSSL in the test.

#include "auth/jwks.h"

#include <gtest/gtest.h>

#include "auth/jwt.h"
#include "auth/secrets.h"
#include "auth/testing/jwt_signer.h"
#include "common/strings.h"

namespace ferry::auth {
namespace {

using testing::Jwks;
using testing::TestKey;

class JwksTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = new TestKey(TestKey::Rsa());
    ec_ = new TestKey(TestKey::P256());
  }
  static TestKey* rsa_;
  static TestKey* ec_;
};
TestKey* JwksTest::rsa_ = nullptr;
TestKey* JwksTest::ec_ = nullptr;

std::string ErrorOf(std::string_view json) {
  auto keys = ParseJwks(json);
  if (keys.ok()) return "ok";
  EXPECT_TRUE(absl::IsInvalidArgument(keys.status())) << keys.status();
  return std::string(keys.status().message());
}

TEST_F(JwksTest, VerifiesRs256AndEs256WithTheirOwnKeysOnly) {
  auto keys = ParseJwks(Jwks({rsa_->Jwk("r1"), ec_->Jwk("e1")}));
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 2u);
  const JsonWebKey& rsa = keys->at("r1");
  const JsonWebKey& ec = keys->at("e1");
  EXPECT_EQ(rsa.algorithm(), JwsAlgorithm::kRs256);
  EXPECT_EQ(ec.algorithm(), JwsAlgorithm::kEs256);
  const std::string input = "eyJhbGciOiJSUzI1NiJ9.e30";
  const std::string rsa_sig = rsa_->Sign(input), ec_sig = ec_->Sign(input);
  EXPECT_EQ(ec_sig.size(), 64u);
  EXPECT_TRUE(rsa.Verify(JwsAlgorithm::kRs256, input, rsa_sig));
  EXPECT_TRUE(ec.Verify(JwsAlgorithm::kEs256, input, ec_sig));
  EXPECT_FALSE(rsa.Verify(JwsAlgorithm::kRs256, input + "x", rsa_sig));
  EXPECT_FALSE(ec.Verify(JwsAlgorithm::kEs256, input + "x", ec_sig));
  EXPECT_FALSE(rsa.Verify(JwsAlgorithm::kEs256, input, ec_sig));  // the key's algorithm only
  EXPECT_FALSE(ec.Verify(JwsAlgorithm::kRs256, input, rsa_sig));
  EXPECT_FALSE(rsa.Verify(JwsAlgorithm::kRs256, input, rsa_sig.substr(1)));
  EXPECT_FALSE(ec.Verify(JwsAlgorithm::kEs256, input, ec_sig.substr(0, 63)));
  EXPECT_FALSE(ec.Verify(JwsAlgorithm::kEs256, input, std::string(64, '\0')));
  EXPECT_FALSE(ec.Verify(JwsAlgorithm::kEs256, input, std::string(64, '\xff')));
}

TEST_F(JwksTest, AnotherKeysSignatureDoesNotVerify) {
  TestKey other = TestKey::Rsa();
  auto keys = ParseJwks(Jwks({rsa_->Jwk("r1")}));
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_FALSE(keys->at("r1").Verify(JwsAlgorithm::kRs256, "a.b", other.Sign("a.b")));
}

TEST_F(JwksTest, SkipsKeysItDoesNotUse) {
  auto keys = ParseJwks(Jwks({
      R"({"kid":"hmac","kty":"oct","k":"c2VjcmV0"})",
      R"({"kid":"p384","kty":"EC","crv":"P-384","x":"AA","y":"AA"})",
      R"({"kid":"ps256","kty":"RSA","alg":"PS256","n":"AA","e":"AQAB"})",
      R"({"kid":"enc","kty":"RSA","use":"enc","n":"AA","e":"AQAB"})",
      R"({"kid":"okp","kty":"OKP","crv":"Ed25519","x":"AA"})",
      ec_->Jwk(""),
  }));
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ(keys->begin()->first, "");
}

TEST_F(JwksTest, RefusesMalformedSets) {
  EXPECT_EQ(ErrorOf(R"({"nokeys":[]})"), "JWKS: no \"keys\" array");
  EXPECT_EQ(ErrorOf(R"({"keys":{}})"), "JWKS: no \"keys\" array");
  EXPECT_NE(ErrorOf("{"), "ok");
  EXPECT_EQ(ErrorOf(R"({"keys":[1]})"), "JWKS key 0 (kid '') is not an object");
  EXPECT_EQ(ErrorOf(Jwks({rsa_->Jwk("a"), ec_->Jwk("a")})),
            "JWKS key 1 (kid 'a'): another key has this kid");
  std::vector<std::string> many(kMaxJwksKeys + 1, "{}");
  EXPECT_EQ(ErrorOf(Jwks(many)), "JWKS: more than 64 keys");
  EXPECT_EQ(ErrorOf(std::string(kMaxJwksBytes + 1, ' ')), "JWKS: more than 262144 bytes");
}

TEST_F(JwksTest, RefusesBadNumbers) {
  const std::string x32 = Base64UrlNoPad(std::string(32, '\x01'));
  EXPECT_EQ(ErrorOf(Jwks(
                {StrCat(R"({"kty":"EC","crv":"P-256","x":")", x32, R"(","y":")", x32, R"("})")})),
            "JWKS key 0 (kid ''): the point is not on P-256");
  EXPECT_EQ(ErrorOf(Jwks({R"({"kty":"EC","crv":"P-256","x":"AQ","y":"AQ"})"})),
            "JWKS key 0 (kid ''): P-256 coordinates are 32 bytes each");
  EXPECT_EQ(ErrorOf(Jwks({R"({"kty":"EC","crv":"P-256","x":"A=","y":"AQ"})"})),
            "JWKS key 0 (kid ''): 'x' is not base64url");
  const std::string n1024 = Base64UrlNoPad("\xc1" + std::string(127, '\x01'));
  EXPECT_EQ(ErrorOf(Jwks({StrCat(R"({"kty":"RSA","n":")", n1024, R"(","e":"AQAB"})")})),
            "JWKS key 0 (kid ''): an RSA modulus of 2048 to 8192 bits and a short exponent are "
            "needed");
  EXPECT_EQ(ErrorOf(Jwks({R"({"kty":"RSA","e":"AQAB"})"})),
            "JWKS key 0 (kid ''): 'n' is not base64url");
}

// RFC 7515 appendix A.2: the RS256 example, with its key.
TEST(JwksVectorTest, Rfc7515AppendixA2) {
  constexpr std::string_view kN =
      "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4"
      "d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5re"
      "xMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxX"
      "FvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
  constexpr std::string_view kToken =
      "eyJhbGciOiJSUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
      "fQ."
      "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5"
      "jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb"
      "1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QO"
      "YEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
  auto keys = ParseJwks(Jwks({StrCat(R"({"kty":"RSA","n":")", kN, R"(","e":"AQAB"})")}));
  ASSERT_TRUE(keys.ok()) << keys.status();
  auto jwt = ParseJwt(kToken);
  ASSERT_TRUE(jwt.ok()) << jwt.status();
  EXPECT_FALSE(jwt->has_kid);
  EXPECT_EQ(jwt->claims.Find("iss")->as_string(), "joe");
  EXPECT_EQ(jwt->claims.Find("exp")->as_int(), 1300819380);
  const JsonWebKey& key = keys->at("");
  EXPECT_TRUE(key.Verify(jwt->algorithm, jwt->signing_input, jwt->signature));
  std::string other = jwt->signature;
  other[0] ^= 1;
  EXPECT_FALSE(key.Verify(jwt->algorithm, jwt->signing_input, other));
}

TEST(JwsAlgorithmTest, OnlyRs256AndEs256) {
  EXPECT_EQ(*ParseJwsAlgorithm("RS256"), JwsAlgorithm::kRs256);
  EXPECT_EQ(*ParseJwsAlgorithm("ES256"), JwsAlgorithm::kEs256);
  for (const char* alg : {"none", "HS256", "RS384", "PS256", "ES512", "rs256", ""}) {
    auto parsed = ParseJwsAlgorithm(alg);
    ASSERT_FALSE(parsed.ok()) << alg;
    EXPECT_TRUE(absl::IsUnauthenticated(parsed.status()));
    EXPECT_EQ(parsed.status().message(), StrCat("Unsupported algorithm ", alg));
  }
}

}  // namespace
}  // namespace ferry::auth
