// Compact JWS parsing (strict base64url, the header's alg, crit and kid, size) and the checks
// of the registered claims (iss, aud, exp, nbf, iat with a leeway).

#include "auth/jwt.h"

#include <gtest/gtest.h>

#include "auth/secrets.h"
#include "common/strings.h"

namespace ferry::auth {
namespace {

constexpr int64_t kNow = 1700000000000;  // ms
constexpr int64_t kNowS = kNow / 1000;

std::string B64(std::string_view s) { return Base64UrlNoPad(s); }

std::string Token(std::string_view header, std::string_view claims = "{}",
                  std::string_view sig = "sig") {
  return StrCat(B64(header), ".", B64(claims), ".", B64(sig));
}

std::string ParseError(std::string_view token) {
  auto jwt = ParseJwt(token);
  if (jwt.ok()) return "ok";
  EXPECT_TRUE(absl::IsUnauthenticated(jwt.status())) << jwt.status();
  return std::string(jwt.status().message());
}

TEST(JwtTest, ParsesACompactJws) {
  const std::string token = Token(R"({"alg":"ES256","kid":"k1","typ":"JWT"})", R"({"sub":"a"})");
  auto jwt = ParseJwt(token);
  ASSERT_TRUE(jwt.ok()) << jwt.status();
  EXPECT_EQ(jwt->algorithm, JwsAlgorithm::kEs256);
  EXPECT_TRUE(jwt->has_kid);
  EXPECT_EQ(jwt->kid, "k1");
  EXPECT_EQ(jwt->signature, "sig");
  EXPECT_EQ(jwt->signing_input, token.substr(0, token.rfind('.')));
  EXPECT_EQ(jwt->claims.Find("sub")->as_string(), "a");
  auto no_kid = ParseJwt(Token(R"({"alg":"RS256"})"));
  ASSERT_TRUE(no_kid.ok());
  EXPECT_FALSE(no_kid->has_kid);
}

TEST(JwtTest, RefusesAlgorithmsOtherThanRs256AndEs256) {
  EXPECT_EQ(ParseError(Token(R"({"alg":"none"})")), "Unsupported algorithm none");
  EXPECT_EQ(ParseError(Token(R"({"alg":"HS256"})")), "Unsupported algorithm HS256");
  EXPECT_EQ(ParseError(Token(R"({"alg":"RS384"})")), "Unsupported algorithm RS384");
  EXPECT_EQ(ParseError(Token(R"({"typ":"JWT"})")), "Malformed token: no \"alg\"");
  EXPECT_EQ(ParseError(Token(R"({"alg":256})")), "Malformed token: no \"alg\"");
  // alg=none tokens usually come without a signature
  EXPECT_EQ(ParseError(B64(R"({"alg":"none"})") + "." + B64("{}") + "."),
            "Unsupported algorithm none");
}

TEST(JwtTest, IsStrictAboutItsShape) {
  const std::string h = B64(R"({"alg":"RS256"})"), c = B64("{}"), s = B64("sig");
  EXPECT_EQ(ParseError(h + "." + c), "Malformed token: not three dot-separated parts");
  EXPECT_EQ(ParseError(h + "." + c + "." + s + "." + s),
            "Malformed token: not three dot-separated parts");
  EXPECT_EQ(ParseError(h + "=." + c + "." + s), "Malformed token: the header is not base64url");
  EXPECT_EQ(ParseError(h + "." + c + "=." + s), "Malformed token: the claims set is not base64url");
  EXPECT_EQ(ParseError(h + "." + c + "." + s + "="),
            "Malformed token: the signature is not base64url");
  EXPECT_EQ(ParseError(h + "." + c + "."), "Malformed token: the signature is not base64url");
  EXPECT_EQ(ParseError(B64("[]") + "." + c + "." + s),
            "Malformed token: the header is not a JSON object");
  EXPECT_EQ(ParseError(h + "." + B64("\"x\"") + "." + s),
            "Malformed token: the claims set is not a JSON object");
  EXPECT_EQ(ParseError(Token(R"({"alg":"RS256","crit":["exp"]})")),
            "Malformed token: a \"crit\" header is not understood");
  EXPECT_EQ(ParseError(Token(R"({"alg":"RS256","kid":7})")),
            "Malformed token: \"kid\" is not a string");
  EXPECT_EQ(ParseError(Token(R"({"alg":"RS256"})", "{}", std::string(kMaxJwtBytes, 'x'))),
            "Malformed token: more than 16384 bytes");
}

TEST(JwtTest, LooksLikeJwt) {
  EXPECT_TRUE(LooksLikeJwt("a.b.c"));
  EXPECT_TRUE(LooksLikeJwt(".."));
  EXPECT_FALSE(LooksLikeJwt("ferry_abc"));
  EXPECT_FALSE(LooksLikeJwt("ferry_a.b.c"));
  EXPECT_FALSE(LooksLikeJwt("a.b"));
  EXPECT_FALSE(LooksLikeJwt("a.b.c.d"));
}

std::string ClaimsError(std::string_view claims_json, int64_t now = kNow) {
  auto claims = ParseJson(claims_json);
  EXPECT_TRUE(claims.ok());
  JwtExpectations expect{"https://idp.example", "ferry", 60000};
  auto exp = CheckClaims(*claims, expect, now);
  if (exp.ok()) return "ok";
  EXPECT_TRUE(absl::IsUnauthenticated(exp.status())) << exp.status();
  return std::string(exp.status().message());
}

std::string Claims(std::string_view iss, std::string_view aud_json, std::string_view rest) {
  return StrCat(R"({"iss":")", iss, R"(","aud":)", aud_json, rest.empty() ? "" : ",", rest, "}");
}

TEST(JwtClaimsTest, IssuerAndAudience) {
  const std::string exp = StrCat(R"("exp":)", kNowS + 300);
  EXPECT_EQ(ClaimsError(Claims("https://idp.example", R"("ferry")", exp)), "ok");
  EXPECT_EQ(ClaimsError(Claims("https://idp.example", R"(["other","ferry"])", exp)), "ok");
  EXPECT_EQ(ClaimsError(Claims("https://idp.example/", R"("ferry")", exp)), "Wrong issuer");
  EXPECT_EQ(ClaimsError(StrCat(R"({"aud":"ferry",)", exp, "}")), "Wrong issuer");
  EXPECT_EQ(ClaimsError(Claims("https://idp.example", R"("ferry2")", exp)), "Wrong audience");
  EXPECT_EQ(ClaimsError(Claims("https://idp.example", R"(["other"])", exp)), "Wrong audience");
  EXPECT_EQ(ClaimsError(Claims("https://idp.example", R"([["ferry"]])", exp)), "Wrong audience");
  EXPECT_EQ(ClaimsError(StrCat(R"({"iss":"https://idp.example",)", exp, "}")), "Wrong audience");
}

TEST(JwtClaimsTest, TimesWithLeeway) {
  auto at = [](std::string_view rest) { return Claims("https://idp.example", "\"ferry\"", rest); };
  EXPECT_EQ(ClaimsError(at("")), "Token has no expiry");
  EXPECT_EQ(ClaimsError(at(StrCat(R"("exp":)", kNowS - 59))), "ok");  // within the leeway
  EXPECT_EQ(ClaimsError(at(StrCat(R"("exp":)", kNowS - 60))), "Token expired");
  EXPECT_EQ(ClaimsError(at(StrCat(R"("exp":)", kNowS - 3600))), "Token expired");
  const std::string exp = StrCat(R"("exp":)", kNowS + 3600, ",");
  EXPECT_EQ(ClaimsError(at(StrCat(exp, R"("nbf":)", kNowS + 60))), "ok");
  EXPECT_EQ(ClaimsError(at(StrCat(exp, R"("nbf":)", kNowS + 61))), "Token not yet valid");
  EXPECT_EQ(ClaimsError(at(StrCat(exp, R"("iat":)", kNowS + 120))), "Token not yet valid");
  EXPECT_EQ(ClaimsError(at(StrCat(exp, R"("iat":)", kNowS - 10, R"(,"nbf":)", kNowS))), "ok");
  EXPECT_EQ(ClaimsError(at(R"("exp":"tomorrow")")), "Malformed token: \"exp\" is not a number");
  EXPECT_EQ(ClaimsError(at(R"("exp":1e300)")), "Malformed token: \"exp\" is out of range");
  EXPECT_EQ(ClaimsError(at(StrCat(exp, R"("nbf":null)"))),
            "Malformed token: \"nbf\" is not a number");
  auto expires = CheckClaims(*ParseJson(at(StrCat(R"("exp":)", kNowS + 1.5))),
                             {"https://idp.example", "ferry", 0}, kNow);
  ASSERT_TRUE(expires.ok()) << expires.status();
  EXPECT_EQ(*expires, kNow + 1500);
}

}  // namespace
}  // namespace ferry::auth
